package io.vigil.runtime.matcher.state;

import io.vigil.compiler.event.Event;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A family member's partial match that waits in its final stage: the events of the prefix match it
 * continues (by stage, in match order) and the time of the first of them, from which its window
 * runs. It is what the member's own NFA would hold in its final state.
 */
public record Waiter(long start, Map<String, List<Event>> prefix) {

  /** Its serializer: the start time, then each stage's name and events. */
  public static final class Serializer extends TypeSerializerSingleton<Waiter> {
    private static final long serialVersionUID = 1L;

    public static final Serializer INSTANCE = new Serializer();

    @Override
    public boolean isImmutableType() {
      return true;
    }

    @Override
    public Waiter createInstance() {
      return new Waiter(0, Map.of());
    }

    @Override
    public Waiter copy(Waiter from) {
      return from;
    }

    @Override
    public Waiter copy(Waiter from, Waiter reuse) {
      return from;
    }

    @Override
    public int getLength() {
      return -1;
    }

    @Override
    public void serialize(Waiter record, DataOutputView target) throws IOException {
      target.writeLong(record.start());
      target.writeInt(record.prefix().size());
      for (Map.Entry<String, List<Event>> stage : record.prefix().entrySet()) {
        target.writeUTF(stage.getKey());
        target.writeInt(stage.getValue().size());
        for (Event event : stage.getValue()) {
          EventSerializer.INSTANCE.serialize(event, target);
        }
      }
    }

    @Override
    public Waiter deserialize(DataInputView source) throws IOException {
      long start = source.readLong();
      int stages = source.readInt();
      Map<String, List<Event>> prefix = new LinkedHashMap<>();
      for (int i = 0; i < stages; i++) {
        String name = source.readUTF();
        int n = source.readInt();
        List<Event> events = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
          events.add(EventSerializer.INSTANCE.deserialize(source));
        }
        prefix.put(name, events);
      }
      return new Waiter(start, prefix);
    }

    @Override
    public Waiter deserialize(Waiter reuse, DataInputView source) throws IOException {
      return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
      serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<Waiter> snapshotConfiguration() {
      return new Snapshot();
    }

    /** Snapshot for state compatibility checks (no configuration: a singleton). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Waiter> {
      public Snapshot() {
        super(() -> INSTANCE);
      }
    }
  }
}
