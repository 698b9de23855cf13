package io.vigil.runtime.matcher;

import io.vigil.compiler.event.Event;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.routing.Routed;
import io.vigil.runtime.rules.RuleBuilder;
import io.vigil.runtime.rules.RuleLimits;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The matcher of rules that never change after the start (a bounded replay): the events are its
 * only input. A one-input operator is one Flink can chain to the task that reads and routes the
 * events when both run at parallelism 1, so no event is serialized on its way to the matcher and no
 * thread hands it on.
 */
public final class FixedRulesMatcher extends DynamicMatcher
    implements OneInputStreamOperator<Routed, Alert> {

  private static final long serialVersionUID = 1L;

  public FixedRulesMatcher(
      RuleBuilder builder,
      List<RuleCommand> rules,
      TypeSerializer<Event> eventSerializer,
      MatcherSettings settings,
      RuleLimits limits) {
    super(builder, rules, eventSerializer, settings, limits);
  }

  @Override
  public void processElement(StreamRecord<Routed> element) throws Exception {
    processElement1(element);
  }

  /** As for the events input of the two-input matcher: they only join the queue. */
  @Override
  public boolean hasKeyContext() {
    return false;
  }

  @Override
  public void setKeyContextElement(StreamRecord<Routed> record) {}
}
