package io.vigil.runtime.matching;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.AggregatingState;
import org.apache.flink.api.common.state.AggregatingStateDescriptor;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReducingState;
import org.apache.flink.api.common.state.ReducingStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;

/**
 * For tests that drive Flink's {@link org.apache.flink.cep.nfa.sharedbuffer.SharedBuffer} from a
 * function, where only the runtime context is at hand: gives each buffer its own state names (the
 * buffer's descriptor names are constants, so two buffers would otherwise share their entries). The
 * matcher itself uses {@link NamespacedStateStore}.
 */
final class PrefixedStateStore implements KeyedStateStore {

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
  public <T> ValueState<T> getState(ValueStateDescriptor<T> descriptor) {
    throw unsupported();
  }

  @Override
  public <T> ListState<T> getListState(ListStateDescriptor<T> descriptor) {
    throw unsupported();
  }

  @Override
  public <T> ReducingState<T> getReducingState(ReducingStateDescriptor<T> descriptor) {
    throw unsupported();
  }

  @Override
  public <IN, ACC, OUT> AggregatingState<IN, OUT> getAggregatingState(
      AggregatingStateDescriptor<IN, ACC, OUT> descriptor) {
    throw unsupported();
  }

  @Override
  public <T> org.apache.flink.api.common.state.v2.ValueState<T> getValueState(
      org.apache.flink.api.common.state.v2.ValueStateDescriptor<T> descriptor) {
    throw unsupported();
  }

  @Override
  public <T> org.apache.flink.api.common.state.v2.ListState<T> getListState(
      org.apache.flink.api.common.state.v2.ListStateDescriptor<T> descriptor) {
    throw unsupported();
  }

  @Override
  public <UK, UV> org.apache.flink.api.common.state.v2.MapState<UK, UV> getMapState(
      org.apache.flink.api.common.state.v2.MapStateDescriptor<UK, UV> descriptor) {
    throw unsupported();
  }

  @Override
  public <T> org.apache.flink.api.common.state.v2.ReducingState<T> getReducingState(
      org.apache.flink.api.common.state.v2.ReducingStateDescriptor<T> descriptor) {
    throw unsupported();
  }

  @Override
  public <IN, ACC, OUT>
      org.apache.flink.api.common.state.v2.AggregatingState<IN, OUT> getAggregatingState(
          org.apache.flink.api.common.state.v2.AggregatingStateDescriptor<IN, ACC, OUT>
              descriptor) {
    throw unsupported();
  }

  @Override
  public String getBackendTypeIdentifier() {
    return "vigil-prefixed";
  }

  private static UnsupportedOperationException unsupported() {
    return new UnsupportedOperationException(
        "only v1 map state is used by Flink's SharedBuffer; nothing else is renamed");
  }
}
