package io.vigil.runtime.matcher;

import io.vigil.runtime.matcher.state.MapStateOnlyStore;
import io.vigil.runtime.matcher.state.NamespacedStateStore;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;

/**
 * For tests that drive Flink's {@link org.apache.flink.cep.nfa.sharedbuffer.SharedBuffer} from a
 * function, where only the runtime context is at hand: gives each buffer its own state names (the
 * buffer's descriptor names are constants, so two buffers would otherwise share their entries). The
 * matcher itself uses {@link NamespacedStateStore}.
 */
final class PrefixedStateStore extends MapStateOnlyStore {

  private final RuntimeContext context;
  private final String prefix;

  PrefixedStateStore(RuntimeContext context, String prefix) {
    this.context = context;
    this.prefix = prefix;
  }

  @Override
  public <UK, UV> MapState<UK, UV> getMapState(MapStateDescriptor<UK, UV> descriptor) {
    MapStateDescriptor<UK, UV> renamed =
        new MapStateDescriptor<>(
            prefix + descriptor.getName(),
            descriptor.getKeySerializer(),
            descriptor.getValueSerializer());
    return context.getMapState(renamed);
  }

  @Override
  public String getBackendTypeIdentifier() {
    return "vigil-prefixed";
  }
}
