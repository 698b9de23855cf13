package io.vigil.runtime.matcher.state;

import io.vigil.runtime.matcher.skip.WakeIndex;
import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.cep.nfa.NFAState;
import org.apache.flink.cep.nfa.NFAStateSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Everything the matcher keeps per key besides the rules' shared buffers, in one keyed value: the
 * NFA state of each rule generation with partial matches on the key, the waiting final stages of
 * each rule family on the key, the key's latest event time (for the idle-key TTL) and its pending
 * timer. A drain reads and writes it once, however many rules are live on the key, instead of
 * reading one state per rule or family. A key without live rules has none.
 *
 * <p>Invariants, checked by {@link #consistent()}:
 *
 * <ul>
 *   <li>A rule generation has NFA state on this key iff its state id is {@linkplain #isLive live}
 *       here: a rule that is not live costs no state read, and is only handed events that may start
 *       a match.
 *   <li>Deferred trims ({@link #untrimmedSteps}) and the wake index name live generations only.
 * </ul>
 *
 * <p>Mutable, as Flink state objects are: the matcher changes it during a drain and writes it back.
 */
public final class KeyState {

  /** The keyed value state that holds it, one per key. */
  public static final ValueStateDescriptor<KeyState> DESCRIPTOR =
      new ValueStateDescriptor<>("vigil/key", Serializer.INSTANCE);

  /** No time recorded (no TTL, or nothing seen yet; no timer armed). */
  public static final long NONE = Long.MIN_VALUE;

  /** NFA state per rule generation (state id) that has partial matches on the key. */
  private final Map<String, NFAState> live;

  /**
   * Per rule generation in {@link #live}, the NFA steps since its shared buffer's per-timestamp
   * event counters were last trimmed (absent: none). Trimming is deferred and batched.
   */
  private final Map<String, Integer> untrimmed;

  /**
   * Per family generation in {@link #live}, the prefix matches its members wait on (absent: none).
   */
  private final Map<String, WaitingMatches> waiting;

  private long lastSeen;

  /** The key's timer, or {@link #NONE}. */
  private long timer;

  /**
   * What wakes the live rules, as far as known; not state (neither serialized nor copied): with
   * heap state the same object serves the key's next drain, which then need not work it out again;
   * a restored, deserialized or copied value starts without it.
   */
  private WakeIndex wakeIndex;

  public KeyState() {
    this(new LinkedHashMap<>(), new HashMap<>(), new HashMap<>(), NONE, NONE);
  }

  private KeyState(
      Map<String, NFAState> live,
      Map<String, Integer> untrimmed,
      Map<String, WaitingMatches> waiting,
      long lastSeen,
      long timer) {
    this.live = live;
    this.untrimmed = untrimmed;
    this.waiting = waiting;
    this.lastSeen = lastSeen;
    this.timer = timer;
  }

  /** The state ids of the rule generations with NFA state on this key (a live view). */
  public Set<String> liveStateIds() {
    return Collections.unmodifiableSet(live.keySet());
  }

  public boolean isLive(String stateId) {
    return live.containsKey(stateId);
  }

  /** The NFA state of a live rule generation, or null when it is not live here. */
  public NFAState nfaState(String stateId) {
    return live.get(stateId);
  }

  /** The live generations and their NFA states, in the order they became live. */
  public Set<Map.Entry<String, NFAState>> nfaStates() {
    return Collections.unmodifiableMap(live).entrySet();
  }

  /**
   * Keeps {@code state} as the NFA state of a rule generation on this key, which makes it live.
   *
   * @return whether that changed the value (another state object, or newly live)
   */
  public boolean keep(String stateId, NFAState state) {
    return live.put(stateId, state) != state;
  }

  /** Forgets a rule generation on this key; true if it was live. */
  public boolean remove(String stateId) {
    untrimmed.remove(stateId);
    waiting.remove(stateId);
    if (wakeIndex != null) {
      wakeIndex.remove(stateId);
    }
    return live.remove(stateId) != null;
  }

  /** NFA steps of a live generation since its buffer's event counters were last trimmed. */
  public int untrimmedSteps(String stateId) {
    return untrimmed.getOrDefault(stateId, 0);
  }

  /** Records a live rule generation's untrimmed steps; true if that changed anything. */
  public boolean untrimmed(String stateId, int steps) {
    assert steps == 0 || live.containsKey(stateId) : stateId + " is not live";
    Integer before = steps > 0 ? untrimmed.put(stateId, steps) : untrimmed.remove(stateId);
    return before == null ? steps > 0 : before != steps;
  }

  /** A live family generation's waiting matches on this key, or null when it has none. */
  public WaitingMatches waitingMatches(String stateId) {
    return waiting.get(stateId);
  }

  /**
   * Keeps {@code matches} as a live family generation's waiting matches (none when empty).
   *
   * @return whether that changed the value (another object, or newly kept or gone)
   */
  public boolean waitingMatches(String stateId, WaitingMatches matches) {
    assert live.containsKey(stateId) : stateId + " is not live";
    if (matches.isEmpty()) {
      return waiting.remove(stateId) != null;
    }
    return waiting.put(stateId, matches) != matches;
  }

  /**
   * The family member of state id {@code memberStateId} lets go of its waiting matches in every
   * family on this key (it is released).
   *
   * @return whether that changed anything
   */
  public boolean releaseMember(String memberStateId) {
    boolean changed = false;
    for (var it = waiting.values().iterator(); it.hasNext(); ) {
      WaitingMatches matches = it.next();
      changed |= matches.release(memberStateId);
      if (matches.isEmpty()) {
        it.remove();
        changed = true;
      }
    }
    return changed;
  }

  /** The key's latest event time, or {@link #NONE}. */
  public long lastSeen() {
    return lastSeen;
  }

  public void lastSeen(long time) {
    this.lastSeen = time;
  }

  /** The time of the key's timer (the last one armed; it may have fired), or {@link #NONE}. */
  public long timer() {
    return timer;
  }

  public void timer(long time) {
    this.timer = time;
  }

  /** What wakes the key's live rules (made on first use; every live rule unknown then). */
  public WakeIndex wakeIndex() {
    if (wakeIndex == null) {
      wakeIndex = new WakeIndex(live.keySet());
    }
    return wakeIndex;
  }

  /**
   * Nothing worth keeping: no live rule. Its times serve the live rules only (a key without partial
   * matches has nothing to lose when idle, and nothing to time out), and a pending timer finds no
   * state.
   */
  public boolean isEmpty() {
    return live.isEmpty();
  }

  /** The invariants above; for {@code assert} and tests. */
  public boolean consistent() {
    if (!live.keySet().containsAll(untrimmed.keySet())
        || !live.keySet().containsAll(waiting.keySet())
        || waiting.values().stream().anyMatch(WaitingMatches::isEmpty)) {
      return false;
    }
    return wakeIndex == null || live.keySet().containsAll(wakeIndex.unknown());
  }

  /**
   * Its serializer: the NFA states in Flink CEP's own format, the families' waiting matches in
   * {@link WaitingMatches.Serializer}'s.
   */
  public static final class Serializer extends SingletonSerializer<KeyState> {
    private static final long serialVersionUID = 1L;

    public static final Serializer INSTANCE = new Serializer();

    public static final TypeInformation<KeyState> TYPE_INFO =
        new SingletonTypeInformation<>(KeyState.class, INSTANCE);

    private final NFAStateSerializer nfaStates = new NFAStateSerializer();

    private final WaitingMatches.Serializer waitingMatches = WaitingMatches.Serializer.INSTANCE;

    @Override
    public boolean isImmutableType() {
      return false;
    }

    @Override
    public KeyState createInstance() {
      return new KeyState();
    }

    @Override
    public KeyState copy(KeyState from) {
      Map<String, NFAState> live = new LinkedHashMap<>();
      from.live.forEach((id, state) -> live.put(id, nfaStates.copy(state)));
      Map<String, WaitingMatches> waiting = new HashMap<>();
      from.waiting.forEach((id, matches) -> waiting.put(id, waitingMatches.copy(matches)));
      return new KeyState(live, new HashMap<>(from.untrimmed), waiting, from.lastSeen, from.timer);
    }

    @Override
    public void serialize(KeyState record, DataOutputView target) throws IOException {
      target.writeLong(record.lastSeen);
      target.writeLong(record.timer);
      target.writeInt(record.live.size());
      for (Map.Entry<String, NFAState> e : record.live.entrySet()) {
        target.writeUTF(e.getKey());
        nfaStates.serialize(e.getValue(), target);
      }
      target.writeInt(record.untrimmed.size());
      for (Map.Entry<String, Integer> e : record.untrimmed.entrySet()) {
        target.writeUTF(e.getKey());
        target.writeInt(e.getValue());
      }
      target.writeInt(record.waiting.size());
      for (Map.Entry<String, WaitingMatches> e : record.waiting.entrySet()) {
        target.writeUTF(e.getKey());
        waitingMatches.serialize(e.getValue(), target);
      }
    }

    @Override
    public KeyState deserialize(DataInputView source) throws IOException {
      long lastSeen = source.readLong();
      long timer = source.readLong();
      int n = source.readInt();
      Map<String, NFAState> live = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        live.put(source.readUTF(), nfaStates.deserialize(source));
      }
      int u = source.readInt();
      Map<String, Integer> untrimmed = new HashMap<>();
      for (int i = 0; i < u; i++) {
        untrimmed.put(source.readUTF(), source.readInt());
      }
      int w = source.readInt();
      Map<String, WaitingMatches> waiting = new HashMap<>();
      for (int i = 0; i < w; i++) {
        waiting.put(source.readUTF(), waitingMatches.deserialize(source));
      }
      return new KeyState(live, untrimmed, waiting, lastSeen, timer);
    }

    @Override
    public TypeSerializerSnapshot<KeyState> snapshotConfiguration() {
      return new Snapshot();
    }

    /**
     * Snapshot for state compatibility checks: a singleton, and the layout of the values it wrote,
     * so that a checkpoint of another layout is refused on restore instead of misread.
     */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<KeyState> {

      /** The layout this build writes; 2: the families' waiting matches are part of the value. */
      static final int LAYOUT = 2;

      /** The version of a snapshot without a layout (layout 1) and of one with it. */
      private static final int WITHOUT_LAYOUT = 3;

      private static final int WITH_LAYOUT = 4;

      private int layout = LAYOUT;

      public Snapshot() {
        super(() -> INSTANCE);
      }

      /** The layout of the values its serializer wrote. */
      int layout() {
        return layout;
      }

      @Override
      public int getCurrentVersion() {
        return WITH_LAYOUT;
      }

      @Override
      public void writeSnapshot(DataOutputView out) throws IOException {
        super.writeSnapshot(out);
        out.writeInt(layout);
      }

      @Override
      public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
          throws IOException {
        if (readVersion >= WITH_LAYOUT) {
          super.readSnapshot(WITHOUT_LAYOUT, in, classLoader);
          layout = in.readInt();
        } else {
          super.readSnapshot(readVersion, in, classLoader);
          layout = 1;
        }
      }

      @Override
      public TypeSerializerSchemaCompatibility<KeyState> resolveSchemaCompatibility(
          TypeSerializerSnapshot<KeyState> oldSnapshot) {
        if (oldSnapshot instanceof Snapshot old && old.layout != layout) {
          return TypeSerializerSchemaCompatibility.incompatible();
        }
        return super.resolveSchemaCompatibility(oldSnapshot);
      }
    }
  }
}
