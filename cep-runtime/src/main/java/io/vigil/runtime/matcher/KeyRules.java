package io.vigil.runtime.matcher;

import io.vigil.runtime.matcher.skip.WakeIndex;
import io.vigil.runtime.matcher.state.SingletonTypeInformation;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.cep.nfa.NFAState;
import org.apache.flink.cep.nfa.NFAStateSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Everything the matcher keeps per key besides the rules' shared buffers, in one keyed value: the
 * NFA state of each rule generation with partial matches on the key, and the key's latest event
 * time (for the idle-key TTL). A drain reads and writes it once, however many rules are live on the
 * key, instead of reading one state per rule.
 *
 * <p>Mutable, as Flink state objects are: the matcher changes it during a drain and writes it back.
 */
public final class KeyRules {

  /** No event time recorded (no TTL, or nothing seen yet). */
  static final long NONE = Long.MIN_VALUE;

  /** NFA state per rule generation (state id) that has partial matches on the key. */
  final Map<String, NFAState> live;

  /**
   * Per rule generation in {@link #live}, the NFA steps since its shared buffer's per-timestamp
   * event counters were last trimmed (absent: none). Trimming is deferred and batched, see {@code
   * DynamicMatcher.TRIM_EVERY}.
   */
  final Map<String, Integer> untrimmed;

  long lastSeen;

  /** The key's window timer (see {@code DynamicMatcher}), or {@link #NONE}. */
  long windowTimer;

  /**
   * What wakes the live rules, as far as known; not state (neither serialized nor copied): with
   * heap state the same object serves the key's next drain, which then need not work it out again;
   * a restored, deserialized or copied value starts without it.
   */
  private WakeIndex wakeIndex;

  KeyRules() {
    this(new LinkedHashMap<>(), new HashMap<>(), NONE, NONE);
  }

  private KeyRules(
      Map<String, NFAState> live, Map<String, Integer> untrimmed, long lastSeen, long windowTimer) {
    this.live = live;
    this.untrimmed = untrimmed;
    this.lastSeen = lastSeen;
    this.windowTimer = windowTimer;
  }

  WakeIndex wakeIndex() {
    if (wakeIndex == null) {
      wakeIndex = new WakeIndex(live.keySet());
    }
    return wakeIndex;
  }

  /** Forgets a rule generation on this key. */
  boolean remove(String stateId) {
    untrimmed.remove(stateId);
    if (wakeIndex != null) {
      wakeIndex.remove(stateId);
    }
    return live.remove(stateId) != null;
  }

  /** Records a live rule generation's untrimmed steps; true if that changed anything. */
  boolean untrimmed(String stateId, int steps) {
    Integer before = steps > 0 ? untrimmed.put(stateId, steps) : untrimmed.remove(stateId);
    return before == null ? steps > 0 : before != steps;
  }

  /** Nothing worth keeping: no live rule, no TTL clock (a pending window timer finds no rule). */
  boolean isEmpty() {
    return live.isEmpty() && lastSeen == NONE;
  }

  /** Its serializer: the NFA states in Flink CEP's own format. */
  public static final class Serializer extends TypeSerializerSingleton<KeyRules> {
    private static final long serialVersionUID = 1L;

    static final Serializer INSTANCE = new Serializer();

    static final TypeInformation<KeyRules> TYPE_INFO =
        new SingletonTypeInformation<>(KeyRules.class, INSTANCE);

    private final NFAStateSerializer nfaStates = new NFAStateSerializer();

    @Override
    public boolean isImmutableType() {
      return false;
    }

    @Override
    public KeyRules createInstance() {
      return new KeyRules();
    }

    @Override
    public KeyRules copy(KeyRules from) {
      Map<String, NFAState> live = new LinkedHashMap<>();
      from.live.forEach((id, state) -> live.put(id, nfaStates.copy(state)));
      return new KeyRules(live, new HashMap<>(from.untrimmed), from.lastSeen, from.windowTimer);
    }

    @Override
    public KeyRules copy(KeyRules from, KeyRules reuse) {
      return copy(from);
    }

    @Override
    public int getLength() {
      return -1;
    }

    @Override
    public void serialize(KeyRules record, DataOutputView target) throws IOException {
      target.writeLong(record.lastSeen);
      target.writeLong(record.windowTimer);
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
    }

    @Override
    public KeyRules deserialize(DataInputView source) throws IOException {
      long lastSeen = source.readLong();
      long windowTimer = source.readLong();
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
      return new KeyRules(live, untrimmed, lastSeen, windowTimer);
    }

    @Override
    public KeyRules deserialize(KeyRules reuse, DataInputView source) throws IOException {
      return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
      serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<KeyRules> snapshotConfiguration() {
      return new Snapshot();
    }

    /** Snapshot for state compatibility checks (no configuration: a singleton). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<KeyRules> {
      public Snapshot() {
        super(() -> INSTANCE);
      }
    }
  }
}
