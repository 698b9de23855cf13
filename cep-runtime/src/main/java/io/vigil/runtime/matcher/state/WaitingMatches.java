package io.vigil.runtime.matcher.state;

import io.vigil.compiler.event.Event;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A rule family's prefix matches on one key that members still hold in their final stage, in the
 * order they were completed, with the member table their member positions refer to (the members'
 * state ids). When the family's members change, {@link #forMembers} renumbers them; a member that
 * left lets go of all of them.
 *
 * <p>Mutable: on heap state it is changed in place between snapshots (Flink's heap state copies a
 * value through {@link Serializer#copy} before a snapshot could see a change), and written back.
 */
public final class WaitingMatches {

  private List<String> members;
  private final List<WaitingMatch> matches;

  public WaitingMatches(List<String> members) {
    this(members, new ArrayList<>());
  }

  private WaitingMatches(List<String> members, List<WaitingMatch> matches) {
    this.members = members;
    this.matches = matches;
  }

  /** The member table: a member's position is its index. */
  public List<String> members() {
    return members;
  }

  /** The matches, in the order they were added; changed in place by the caller. */
  public List<WaitingMatch> matches() {
    return matches;
  }

  public boolean isEmpty() {
    return matches.isEmpty();
  }

  /** Partial matches as the members' own NFAs would count them: one per member holding one. */
  public int count() {
    int n = 0;
    for (WaitingMatch m : matches) {
      n += m.holders();
    }
    return n;
  }

  /** Drops the matches no member holds any more. */
  public void dropAbandoned() {
    matches.removeIf(WaitingMatch::abandoned);
  }

  /**
   * Renumbers the matches for the member table {@code current} (by state id): members that are not
   * in it let go, and members new to it hold nothing yet.
   *
   * @return whether anything changed
   */
  public boolean forMembers(List<String> current) {
    if (current == members) {
      return false;
    }
    if (matches.isEmpty() || current.equals(members)) {
      // Nothing to renumber, or read back from a checkpoint or another backend: the same table,
      // not the same list.
      members = current;
      return false;
    }
    Map<String, Integer> positions = new HashMap<>();
    for (int i = 0; i < current.size(); i++) {
      positions.put(current.get(i), i);
    }
    int[] newPosition = new int[members.size()];
    for (int i = 0; i < newPosition.length; i++) {
      newPosition[i] = positions.getOrDefault(members.get(i), -1);
    }
    matches.replaceAll(m -> m.renumbered(newPosition));
    dropAbandoned();
    members = current;
    return true;
  }

  /**
   * The member of state id {@code stateId} lets go of every match (it is released).
   *
   * @return whether it held any
   */
  public boolean release(String stateId) {
    int member = members.indexOf(stateId);
    if (member < 0) {
      return false;
    }
    boolean held = false;
    for (WaitingMatch m : matches) {
      held |= m.heldBy(member);
      m.release(member);
    }
    dropAbandoned();
    return held;
  }

  /**
   * Its serializer: the member table, then per match its start time and order, each stage's name
   * and events, the members that wait, the members that completed it and, for each of those, the
   * completing event and its order.
   */
  public static final class Serializer extends SingletonSerializer<WaitingMatches> {
    private static final long serialVersionUID = 1L;

    public static final Serializer INSTANCE = new Serializer();

    @Override
    public boolean isImmutableType() {
      return false;
    }

    @Override
    public WaitingMatches createInstance() {
      return new WaitingMatches(List.of());
    }

    @Override
    public WaitingMatches copy(WaitingMatches from) {
      List<WaitingMatch> matches = new ArrayList<>(from.matches.size());
      for (WaitingMatch m : from.matches) {
        matches.add(m.copy());
      }
      return new WaitingMatches(from.members, matches);
    }

    @Override
    public void serialize(WaitingMatches record, DataOutputView target) throws IOException {
      target.writeInt(record.members.size());
      for (String member : record.members) {
        target.writeUTF(member);
      }
      target.writeInt(record.matches.size());
      for (WaitingMatch m : record.matches) {
        target.writeLong(m.start());
        target.writeLong(m.order());
        writePrefix(m.prefix(), target);
        writeBits(m.waitingBits(), target);
        long[] completed = m.completedBits();
        writeBits(completed, target);
        for (int c = m.nextCompleted(0); c >= 0; c = m.nextCompleted(c + 1)) {
          WaitingMatch.Completion completion = m.completion(c).orElseThrow();
          EventSerializer.INSTANCE.serialize(completion.event(), target);
          target.writeLong(completion.order());
        }
      }
    }

    @Override
    public WaitingMatches deserialize(DataInputView source) throws IOException {
      int memberCount = source.readInt();
      List<String> members = new ArrayList<>(memberCount);
      for (int i = 0; i < memberCount; i++) {
        members.add(source.readUTF());
      }
      int matchCount = source.readInt();
      List<WaitingMatch> matches = new ArrayList<>(matchCount);
      for (int i = 0; i < matchCount; i++) {
        long start = source.readLong();
        long order = source.readLong();
        Map<String, List<Event>> prefix = readPrefix(source);
        long[] waiting = readBits(source);
        long[] completed = readBits(source);
        WaitingMatch.Completion[] completions = new WaitingMatch.Completion[completed.length * 64];
        WaitingMatch m = new WaitingMatch(start, order, prefix, waiting, completed, completions);
        for (int c = m.nextCompleted(0); c >= 0; c = m.nextCompleted(c + 1)) {
          Event event = EventSerializer.INSTANCE.deserialize(source);
          completions[c] = new WaitingMatch.Completion(event, source.readLong());
        }
        matches.add(m);
      }
      return new WaitingMatches(List.copyOf(members), matches);
    }

    @Override
    public TypeSerializerSnapshot<WaitingMatches> snapshotConfiguration() {
      return new Snapshot();
    }

    /** Snapshot of this format. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<WaitingMatches> {
      public Snapshot() {
        super(() -> INSTANCE);
      }
    }

    private static void writeBits(long[] bits, DataOutputView target) throws IOException {
      int words = bits.length;
      while (words > 0 && bits[words - 1] == 0) {
        words--;
      }
      target.writeInt(words);
      for (int i = 0; i < words; i++) {
        target.writeLong(bits[i]);
      }
    }

    private static long[] readBits(DataInputView source) throws IOException {
      long[] bits = new long[source.readInt()];
      for (int i = 0; i < bits.length; i++) {
        bits[i] = source.readLong();
      }
      return bits;
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
        prefix.put(name, List.copyOf(events));
      }
      return java.util.Collections.unmodifiableMap(prefix);
    }
  }
}
