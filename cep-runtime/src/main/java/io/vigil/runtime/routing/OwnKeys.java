package io.vigil.runtime.routing;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFilterFunction;

/**
 * Keeps the routed events of this task's keys ({@link KeyOwnership}): where several tasks each
 * route every event of one input, each then holds every event of its own keys and no other, as if a
 * {@code keyBy} had sent them there.
 */
public final class OwnKeys extends RichFilterFunction<Routed> {

  private static final long serialVersionUID = 1L;

  private transient KeyOwnership ownership;

  @Override
  public void open(OpenContext openContext) {
    ownership = KeyOwnership.of(getRuntimeContext().getTaskInfo());
  }

  @Override
  public boolean filter(Routed routed) {
    return ownership.owns(routed.key());
  }
}
