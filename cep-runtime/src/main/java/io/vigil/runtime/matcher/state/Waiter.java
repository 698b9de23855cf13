package io.vigil.runtime.matcher.state;

import io.vigil.compiler.event.Event;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A family member's partial match that waits in its final stage: the events of the prefix match it
 * continues (by stage, in match order) and the time of the first of them, from which its window
 * runs. It is what the member's own NFA would hold in its final state.
 *
 * <p>With {@code skip past last event}, a partial match that its final stage completed while an
 * earlier one still waits stays here as a {@linkplain #completion() completed} match, as the NFA
 * holds it among its completed matches until the earlier ones are gone.
 *
 * @param start the time of the prefix's first event
 * @param order the position of that event among the key's events of the same time (the matcher's
 *     queue order): events of one time are ordered by it, as the NFA's event ids order them
 * @param prefix the prefix's events by stage
 * @param completion the final stage's event, once it completed the match
 */
public record Waiter(
    long start, long order, Map<String, List<Event>> prefix, Optional<Completion> completion) {

  /** A partial match that waits for its final stage. */
  public Waiter(long start, long order, Map<String, List<Event>> prefix) {
    this(start, order, prefix, Optional.empty());
  }

  /** The event that completed the match, and its position among the key's events of its time. */
  public record Completion(Event event, long order) {}

  public boolean waiting() {
    return completion.isEmpty();
  }

  /** This match, completed by {@code event}. */
  public Waiter completedBy(Event event, long eventOrder) {
    return new Waiter(start, order, prefix, Optional.of(new Completion(event, eventOrder)));
  }

  /** Whether the first event came at or before the event at {@code time} and {@code atOrder}. */
  public boolean startsNoLaterThan(long time, long atOrder) {
    return start < time || (start == time && order <= atOrder);
  }

  /**
   * Its serializer: the start time and order, each stage's name and events, then whether it is
   * completed and by which event.
   */
  public static final class Serializer extends Format {
    private static final long serialVersionUID = 1L;

    public static final Serializer INSTANCE = new Serializer();

    @Override
    public void serialize(Waiter record, DataOutputView target) throws IOException {
      target.writeLong(record.start());
      target.writeLong(record.order());
      writePrefix(record.prefix(), target);
      target.writeBoolean(record.completion().isPresent());
      if (record.completion().isPresent()) {
        EventSerializer.INSTANCE.serialize(record.completion().get().event(), target);
        target.writeLong(record.completion().get().order());
      }
    }

    @Override
    public Waiter deserialize(DataInputView source) throws IOException {
      long start = source.readLong();
      long order = source.readLong();
      Map<String, List<Event>> prefix = readPrefix(source);
      Optional<Completion> completion = Optional.empty();
      if (source.readBoolean()) {
        Event event = EventSerializer.INSTANCE.deserialize(source);
        completion = Optional.of(new Completion(event, source.readLong()));
      }
      return new Waiter(start, order, prefix, completion);
    }

    @Override
    public TypeSerializerSnapshot<Waiter> snapshotConfiguration() {
      return new OrderedSnapshot();
    }

    /**
     * Snapshot of this format. State written in the earlier format (start time and prefix only,
     * {@link Snapshot}) is migrated on restore: its waiters are uncompleted, order 0 (they come
     * from {@code skip none} families, where the order of equal times is never read).
     */
    public static final class OrderedSnapshot extends SimpleTypeSerializerSnapshot<Waiter> {
      public OrderedSnapshot() {
        super(() -> INSTANCE);
      }

      @Override
      public TypeSerializerSchemaCompatibility<Waiter> resolveSchemaCompatibility(
          TypeSerializerSnapshot<Waiter> old) {
        if (old instanceof Snapshot) {
          return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
        return super.resolveSchemaCompatibility(old);
      }
    }

    /** Snapshot of the earlier format: restores the reader of that format. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Waiter> {
      public Snapshot() {
        super(() -> StartOnlySerializer.INSTANCE);
      }
    }
  }

  /** The earlier format: the start time, then each stage's name and events. */
  public static final class StartOnlySerializer extends Format {
    private static final long serialVersionUID = 1L;

    public static final StartOnlySerializer INSTANCE = new StartOnlySerializer();

    @Override
    public void serialize(Waiter record, DataOutputView target) throws IOException {
      target.writeLong(record.start());
      writePrefix(record.prefix(), target);
    }

    @Override
    public Waiter deserialize(DataInputView source) throws IOException {
      long start = source.readLong();
      return new Waiter(start, 0, readPrefix(source));
    }

    @Override
    public TypeSerializerSnapshot<Waiter> snapshotConfiguration() {
      return new Serializer.Snapshot();
    }
  }

  /** What both formats share: waiters are immutable and of no fixed length. */
  abstract static class Format extends TypeSerializerSingleton<Waiter> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean isImmutableType() {
      return true;
    }

    @Override
    public Waiter createInstance() {
      return new Waiter(0, 0, Map.of());
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
    public Waiter deserialize(Waiter reuse, DataInputView source) throws IOException {
      return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
      serialize(deserialize(source), target);
    }
  }

  private static void writePrefix(Map<String, List<Event>> prefix, DataOutputView target)
      throws IOException {
    target.writeInt(prefix.size());
    for (Map.Entry<String, List<Event>> stage : prefix.entrySet()) {
      target.writeUTF(stage.getKey());
      target.writeInt(stage.getValue().size());
      for (Event event : stage.getValue()) {
        EventSerializer.INSTANCE.serialize(event, target);
      }
    }
  }

  private static Map<String, List<Event>> readPrefix(DataInputView source) throws IOException {
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
    return prefix;
  }
}
