package io.vigil.runtime.routing;

import io.vigil.runtime.matcher.state.EventSerializer;
import io.vigil.runtime.matcher.state.SingletonSerializer;
import io.vigil.runtime.matcher.state.SingletonTypeInformation;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** {@link Routed} between router and matcher, with {@link EventSerializer} for the event. */
public final class RoutedSerializer extends SingletonSerializer<Routed> {

  private static final long serialVersionUID = 1L;

  public static final RoutedSerializer INSTANCE = new RoutedSerializer();

  private static final int WITH_ORDER = Integer.MIN_VALUE;

  @Override
  public boolean isImmutableType() {
    return true;
  }

  @Override
  public Routed createInstance() {
    return new Routed("", EventSerializer.INSTANCE.createInstance(), false, 0);
  }

  @Override
  public Routed copy(Routed from) {
    return from;
  }

  @Override
  public void serialize(Routed record, DataOutputView out) throws IOException {
    EventSerializer.writeString(record.key(), out);
    out.writeBoolean(record.primary());
    out.writeLong(record.lateness());
    if (record.order() == Routed.ARRIVAL_ORDER) {
      out.writeInt(record.sourcePartition());
    } else {
      // A marker no partition has (they are >= -1): data written before the order existed, e.g. a
      // queue in a checkpoint, reads as before.
      out.writeInt(WITH_ORDER);
      out.writeInt(record.sourcePartition());
      out.writeLong(record.order());
    }
    EventSerializer.INSTANCE.serialize(record.event(), out);
  }

  @Override
  public Routed deserialize(DataInputView in) throws IOException {
    String key = EventSerializer.readString(in);
    boolean primary = in.readBoolean();
    long lateness = in.readLong();
    int partition = in.readInt();
    long order = Routed.ARRIVAL_ORDER;
    if (partition == WITH_ORDER) {
      partition = in.readInt();
      order = in.readLong();
    }
    return new Routed(
        key, EventSerializer.INSTANCE.deserialize(in), primary, lateness, partition, order);
  }

  @Override
  public TypeSerializerSnapshot<Routed> snapshotConfiguration() {
    return new Snapshot();
  }

  public static final class Snapshot extends SimpleTypeSerializerSnapshot<Routed> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }

  /** The type information that makes Flink use this serializer. */
  public static final TypeInformation<Routed> TYPE_INFO =
      new SingletonTypeInformation<>(Routed.class, INSTANCE);
}
