package io.vigil.runtime.matcher;

import io.vigil.compiler.event.Event;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import io.vigil.runtime.matcher.EventQueue.Pending;
import io.vigil.runtime.matcher.skip.NoOpSteps;
import io.vigil.runtime.matcher.skip.StartIndex;
import io.vigil.runtime.matcher.skip.WakeIndex;
import io.vigil.runtime.matcher.state.NamespacedStateStore;
import io.vigil.runtime.routing.Routed;
import io.vigil.runtime.routing.RoutedSerializer;
import io.vigil.runtime.routing.RoutingKeys;
import io.vigil.runtime.rules.MatchingRule;
import io.vigil.runtime.rules.RuleBook;
import io.vigil.runtime.rules.RuleBuilder;
import io.vigil.runtime.rules.RuleLimits;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.State;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.cep.nfa.ComputationState;
import org.apache.flink.cep.nfa.NFAState;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBufferAccessor;
import org.apache.flink.cep.time.TimerService;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyedStateFunction;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * The heart of the runtime: every rule of one partition spec, on one Flink key, each driving Flink
 * CEP's own NFA with {@code CepOperator}'s event-time semantics.
 *
 * <ul>
 *   <li>Events wait in one queue per parallel instance, ordered by timestamp (insertion order
 *       within a timestamp), not in keyed state with a timer per key: a watermark takes every event
 *       it passes out of the queue, key by key. Each key's events are fed in timestamp order to the
 *       NFAs of the rules that read their stream, {@code advanceTime} before each timestamp
 *       (skipped where it provably times nothing out) and at the watermark; one window timer per
 *       key at the earliest time any of its partial matches can expire. Events at or below the
 *       watermark are late (side output {@link #LATE}). The queue is checkpointed as union list
 *       state; after a restore (with any parallelism) each instance keeps the events of its key
 *       groups.
 *   <li>Each rule's shared buffer lives in the namespace {@code <rule>/<gen>} of the buffer states
 *       {@code vigil/buffer/…} ({@link NamespacedStateStore}), and its NFA state on a key in the
 *       key's {@link KeyRules} under the same {@code <rule>/<gen>}: no entry is shared between
 *       rules; a pattern change starts a new generation and releases the old one on every key.
 *   <li>A rule with no partial match on a key is only handed events that pass its start condition
 *       ({@link MatchingRule#mayStart}), and is only start-tested on events that hold the value its
 *       start condition requires, if any ({@link StartIndex}). A rule waiting on a key is only
 *       shown events that hold a text its waiting conditions require, if they all require one
 *       ({@link WakeIndex}, kept with the key between drains and updated as its rules change).
 * </ul>
 *
 * Rules come from the broadcast control stream; the initial rules given to the constructor apply
 * until the control stream says otherwise (the broadcast state wins after a restore).
 */
public final class DynamicMatcher extends AbstractStreamOperator<Alert>
    implements TwoInputStreamOperator<Routed, RuleCommand, Alert>,
        Triggerable<String, VoidNamespace> {

  private static final long serialVersionUID = 1L;

  /** Broadcast state: one JSON document per rule or stream (see {@link RuleBook}). */
  public static final MapStateDescriptor<String, String> RULES =
      new MapStateDescriptor<>("vigil-matcher-rules", Types.STRING, Types.STRING);

  /** Acknowledgements, one per command and parallel instance. */
  public static final OutputTag<RuleStatus> STATUS =
      new OutputTag<>("vigil-rule-status", TypeInformation.of(RuleStatus.class));

  /**
   * Events that arrived at or below the watermark, as {@code {"stream","event","watermark"}} JSON
   * (see docs/runtime.md).
   */
  public static final OutputTag<String> LATE = new OutputTag<>("vigil-late", Types.STRING);

  private final RuleBuilder builder;
  private final List<RuleCommand> initial;
  private final TypeSerializer<Event> eventSerializer;
  private final MatcherSettings settings;
  private final RuleLimits limits;

  private transient RuleBook book;
  private transient Map<String, RuleRuntime> runtimes;
  private transient List<MapStateDescriptor<?, ?>> bufferDescriptors;
  private transient Map<String, RuleMetrics> metrics;
  private transient java.util.Set<String> flagged;
  private transient Map<String, StartIndex> startIndexes;
  private transient StartIndex lastStartIndex;
  private transient String lastSpec;

  /** Per key, the live rules' NFA states and the latest event time, read once per drain. */
  private transient ValueState<KeyRules> keyRules;

  private static final ValueStateDescriptor<KeyRules> KEY_RULES =
      new ValueStateDescriptor<>("vigil/key", KeyRules.Serializer.INSTANCE);

  /** Events not yet passed by the watermark, by (timestamp, arrival). */
  private transient EventQueue pending;

  /** {@link #pending} in checkpoints (union list state: any instance may own any key group). */
  private transient ListState<Routed> pendingState;

  private transient InternalTimerService<VoidNamespace> timers;
  private transient TimestampedCollector<Alert> out;
  private transient TimerService cepTimers;
  private transient org.apache.flink.metrics.Counter lateEvents;
  private transient org.apache.flink.metrics.Counter expiredKeys;
  private transient org.apache.flink.metrics.Counter droppedByKeyQueueCap;

  public DynamicMatcher(
      RuleBuilder builder,
      List<RuleCommand> initial,
      TypeSerializer<Event> eventSerializer,
      MatcherSettings settings) {
    this(builder, initial, eventSerializer, settings, RuleLimits.defaults());
  }

  public DynamicMatcher(
      RuleBuilder builder,
      List<RuleCommand> initial,
      TypeSerializer<Event> eventSerializer,
      MatcherSettings settings,
      RuleLimits limits) {
    this.builder = builder;
    this.initial = List.copyOf(initial);
    this.eventSerializer = eventSerializer;
    this.settings = settings;
    this.limits = limits;
  }

  private static final ListStateDescriptor<Routed> PENDING =
      new ListStateDescriptor<>("vigil-pending", RoutedSerializer.INSTANCE);

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    pending = new EventQueue();
    pendingState = context.getOperatorStateStore().getUnionListState(PENDING);
    if (context.isRestored()) {
      org.apache.flink.api.common.TaskInfo task = getRuntimeContext().getTaskInfo();
      for (Routed routed : pendingState.get()) {
        if (KeyGroupRangeAssignment.assignKeyToParallelOperator(
                routed.key(),
                task.getMaxNumberOfParallelSubtasks(),
                task.getNumberOfParallelSubtasks())
            == task.getIndexOfThisSubtask()) {
          pending.add(routed.event().timestamp(), routed);
        }
      }
    }
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    // In (time, arrival) order: restored events are queued again in list order.
    pendingState.update(pending.inOrder());
  }

  /** Events need no key context on arrival: they only join the queue. */
  @Override
  public boolean hasKeyContext1() {
    return false;
  }

  @Override
  public void setKeyContextElement1(StreamRecord record) {}

  @Override
  public void open() throws Exception {
    super.open();
    out = new TimestampedCollector<>(output);
    timers = getInternalTimerService("vigil-timers", VoidNamespaceSerializer.INSTANCE, this);
    book = new RuleBook(builder, limits);
    runtimes = new HashMap<>();
    metrics = new HashMap<>();
    flagged = new java.util.HashSet<>();
    startIndexes = new HashMap<>();
    keyRules = getRuntimeContext().getState(KEY_RULES);
    lateEvents = getRuntimeContext().getMetricGroup().counter("lateEvents");
    expiredKeys = getRuntimeContext().getMetricGroup().counter("expiredKeys");
    droppedByKeyQueueCap =
        getRuntimeContext().getMetricGroup().counter("eventsDroppedByKeyQueueCap");
    RuleBook counted = book;
    getRuntimeContext()
        .getMetricGroup()
        .gauge("unknownRuleIdsNotKept", () -> counted.unknownIdsNotKept());
    getRuntimeContext().getMetricGroup().gauge("liveRules", () -> counted.liveRules());
    cepTimers = System::currentTimeMillis;
    // The broadcast state is restored by now: it wins over the initial rules.
    book.load(getOperatorStateBackend().getBroadcastState(RULES).immutableEntries(), initial);
  }

  @Override
  public void close() throws Exception {
    super.close();
    if (runtimes != null) {
      for (RuleRuntime runtime : runtimes.values()) {
        runtime.close();
      }
    }
  }

  // ------------------------------------------------------------------ rules

  @Override
  public void processElement2(StreamRecord<RuleCommand> element) throws Exception {
    RuleCommand command = element.getValue();
    BroadcastState<String, String> state = getOperatorStateBackend().getBroadcastState(RULES);
    lastStartIndex = null;
    int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
    int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
    long watermark = timers.currentWatermark();
    for (RuleBook.Outcome outcome : book.apply(command)) {
      startDrains(watermark);
      java.util.Optional<String> stored = book.serialize(outcome.ruleId());
      if (outcome.state() != RuleStatus.State.REJECTED && stored.isPresent()) {
        state.put(outcome.ruleId(), stored.get());
      }
      for (long generation : outcome.released()) {
        release(outcome.ruleId() + "/" + generation);
      }
      status(
          new RuleStatus(
              outcome.ruleId(),
              outcome.version(),
              subtask,
              parallelism,
              outcome.state(),
              outcome.message(),
              System.currentTimeMillis()));
    }
    // Previous versions whose partial matches have all completed or timed out by now.
    for (String stateId : book.endDrains(watermark)) {
      release(stateId);
      String ruleId = stateId.substring(0, stateId.lastIndexOf('/'));
      book.serialize(ruleId).ifPresent(json -> putUnchecked(state, ruleId, json));
    }
    // A metadata-only update keeps the runtime (and its NFA) but renders with the new version.
    java.util.Set<String> running = new java.util.HashSet<>();
    for (RuleBook.ActiveRule active : book.active()) {
      running.add(active.rule().id());
      RuleRuntime runtime = runtimes.get(active.stateId());
      if (runtime != null) {
        runtime.rule = active.rule();
      }
    }
    // The metrics of a rule that no longer runs here (disabled, deleted) are unregistered.
    metrics
        .entrySet()
        .removeIf(
            e -> {
              if (running.contains(e.getKey())) {
                return false;
              }
              e.getValue().close();
              return true;
            });
  }

  /**
   * A new drain ends when the watermark has passed the switch by the previous version's window: its
   * partial matches all started at or before the watermark of the switch. Without a window it lasts
   * until the next command for the rule (or the idle-key TTL).
   */
  private void startDrains(long watermark) throws Exception {
    for (RuleBook.Drain drain : book.drains()) {
      if (drain.until() == Long.MIN_VALUE) {
        long window = runtime(drain.rule()).nfa.getWindowTime();
        long until =
            window > 0 && watermark != Long.MIN_VALUE ? watermark + window : Long.MAX_VALUE;
        book.drainUntil(drain.rule().stateId(), until);
      }
    }
  }

  private void status(RuleStatus status) {
    output.collect(STATUS, new StreamRecord<>(status));
  }

  private static void putUnchecked(BroadcastState<String, String> state, String key, String json) {
    try {
      state.put(key, json);
    } catch (Exception e) {
      throw new IllegalStateException("cannot write broadcast state", e);
    }
  }

  /** Clears a rule generation's state on every key of this instance. */
  private void release(String stateId) throws Exception {
    RuleRuntime runtime = runtimes.remove(stateId);
    if (runtime != null) {
      runtime.close();
    }
    for (MapStateDescriptor<?, ?> descriptor : bufferDescriptors()) {
      clearEverywhere(stateId, descriptor);
    }
    getKeyedStateBackend()
        .applyToAllKeys(
            VoidNamespace.INSTANCE,
            VoidNamespaceSerializer.INSTANCE,
            KEY_RULES,
            (key, state) -> {
              KeyRules rules = state.value();
              if (rules != null && rules.remove(stateId)) {
                if (rules.isEmpty()) {
                  state.clear();
                } else {
                  state.update(rules);
                }
              }
            });
  }

  private List<MapStateDescriptor<?, ?>> bufferDescriptors() {
    if (bufferDescriptors == null) {
      bufferDescriptors = RuleRuntime.bufferDescriptors(getKeyedStateBackend(), eventSerializer);
    }
    return bufferDescriptors;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void clearEverywhere(String namespace, StateDescriptor descriptor) throws Exception {
    getKeyedStateBackend()
        .applyToAllKeys(
            namespace,
            org.apache.flink.api.common.typeutils.base.StringSerializer.INSTANCE,
            descriptor,
            (KeyedStateFunction<Object, State>) (key, s) -> s.clear());
  }

  private RuleMetrics metrics(String ruleId) {
    return metrics.computeIfAbsent(
        ruleId, id -> new RuleMetrics(getRuntimeContext().getMetricGroup(), id));
  }

  private RuleRuntime runtime(RuleBook.ActiveRule active) throws Exception {
    RuleRuntime runtime = runtimes.get(active.stateId());
    if (runtime == null) {
      runtime =
          new RuleRuntime(
              active.rule(),
              active.stateId(),
              getRuntimeContext(),
              getKeyedStateBackend(),
              eventSerializer,
              metrics(active.rule().id()));
      runtimes.put(active.stateId(), runtime);
    }
    return runtime;
  }

  // ------------------------------------------------------------------ events

  @Override
  public void processElement1(StreamRecord<Routed> element) throws Exception {
    Routed routed = element.getValue();
    // The event's own time (which the router's watermarks assign as the record's timestamp): a
    // queue restored from a checkpoint knows only the event, and must order it the same way.
    long ts = routed.event().timestamp();
    long watermark = timers.currentWatermark();
    if (ts > watermark) {
      int cap = settings.maxQueuedEventsPerKey();
      if (cap > 0 && pending.queued(routed.key()) >= cap) {
        // The key's watermark is stuck or its events come faster than any window needs: the
        // queue, and the instance's heap with it, must not grow without bound.
        droppedByKeyQueueCap.inc();
        return;
      }
      pending.add(ts, routed);
    } else if (routed.primary()) {
      lateEvents.inc();
      output.collect(LATE, new StreamRecord<>(lateJson(routed.event(), watermark)));
    }
  }

  /**
   * Feeds every queued event the watermark passes, key by key, before the watermark fires the
   * timers (windows, idle keys) and goes downstream.
   */
  @Override
  public void processWatermark(Watermark mark) throws Exception {
    long watermark = mark.getTimestamp();
    if (!pending.isEmpty() && pending.nextTime() <= watermark) {
      Map<String, List<Pending>> byKey = new LinkedHashMap<>(Math.min(pending.size(), 1 << 16) * 2);
      while (!pending.isEmpty() && pending.nextTime() <= watermark) {
        Pending p = pending.poll();
        byKey.computeIfAbsent(p.routed().key(), k -> new ArrayList<>(2)).add(p);
      }
      out.setAbsoluteTimestamp(watermark);
      for (Map.Entry<String, List<Pending>> e : byKey.entrySet()) {
        setCurrentKey(e.getKey());
        drain(e.getKey(), e.getValue(), watermark);
      }
    }
    super.processWatermark(mark);
  }

  /** A window or idle-key timer: the key's rules advance to the watermark. */
  @Override
  public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
    long watermark = timers.currentWatermark();
    out.setAbsoluteTimestamp(watermark);
    drain(timer.getKey(), List.of(), watermark);
  }

  @Override
  public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {}

  private String lateJson(Event event, long watermark) {
    com.fasterxml.jackson.databind.node.ObjectNode node = LATE_JSON.createObjectNode();
    node.put("stream", event.stream());
    node.set(
        "event",
        book.stream(event.stream())
            .<com.fasterxml.jackson.databind.JsonNode>map(
                schema -> new io.vigil.compiler.event.EventEncoder(schema).encode(event))
            .orElseGet(() -> LATE_JSON.valueToTree(event.toString())));
    node.put("watermark", java.time.Instant.ofEpochMilli(watermark).toString());
    return node.toString();
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper LATE_JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** Records the key's latest event time for the idle-key TTL; true if it changed. */
  private boolean touch(long ts, KeyRules rules) {
    long ttl = settings.idleKeyTtl().toMillis();
    long last = rules.lastSeen;
    if (ttl <= 0 || (last != KeyRules.NONE && ts <= last)) {
      return false;
    }
    rules.lastSeen = ts;
    // One timer per key and slice of the TTL, not per event: registered only when the event moves
    // the key's expiry into a later slice (registering the same timer again costs a lookup in the
    // timer queue).
    long due = expiryTimer(ts, ttl);
    if (last == KeyRules.NONE || due != expiryTimer(last, ttl)) {
      timers.registerEventTimeTimer(VoidNamespace.INSTANCE, due);
    }
    return true;
  }

  /** The TTL timer of a key last seen at {@code ts}: the end of the slice its expiry falls in. */
  private static long expiryTimer(long ts, long ttl) {
    long slice = Math.max(1, ttl / 8);
    return ((ts + ttl) / slice + 1) * slice;
  }

  /** Per rule, the state being worked on while one key is drained. */
  private static final class Work {
    final RuleRuntime runtime;
    final NFAState state;
    final int livePartialMatchesBefore;
    long advancedTo = Long.MIN_VALUE;

    /** NFA steps since the shared buffer's event counters were last trimmed (see TRIM_EVERY). */
    int untrimmedSteps;

    /**
     * {@link RuleRuntime#timeoutHorizon} of the state as it is now, or {@code null} after anything
     * that may have changed it.
     */
    private Long horizon;

    long horizon() {
      if (horizon == null) {
        horizon = runtime.timeoutHorizon(state);
      }
      return horizon;
    }

    void changed() {
      horizon = null;
      matchedEvents.clear();
      changes++;
    }

    /** Calls of {@link #changed} during this drain. */
    int changes;

    /**
     * {@link #changes} when this drain last put the rule in the key's wake index; -1 if it did not.
     * The index entry is still valid at the end of the drain iff no change came after it.
     */
    int indexedAt = -1;

    int dropped;

    /**
     * One shared-buffer accessor for the whole drain of this key: its close flushes the buffer's
     * cache to keyed state, which is needed once per key and timer, not once per event.
     */
    private SharedBufferAccessor<Event> accessor;

    /**
     * Events of the partial matches the no-op test has read, while the NFA has not stepped: a
     * partial match that waits across many events is read from the shared buffer once.
     */
    final Map<ComputationState, Map<String, List<Event>>> matchedEvents =
        new java.util.IdentityHashMap<>(2);

    SharedBufferAccessor<Event> accessor() {
      if (accessor == null) {
        accessor = runtime.buffer.getAccessor();
      }
      return accessor;
    }

    void closeAccessor() throws Exception {
      if (accessor != null) {
        accessor.close();
        accessor = null;
      }
    }

    final boolean draining;

    Work(RuleRuntime runtime, NFAState state, int before, boolean draining) {
      this.runtime = runtime;
      this.state = state;
      this.livePartialMatchesBefore = before;
      this.draining = draining;
      if (draining && stopStarting(state)) {
        changed();
      }
    }
  }

  /**
   * Trim a rule's shared-buffer event counters on a key after this many NFA steps there, not after
   * every drain that stepped it. The counters (events per timestamp, to number events) only need
   * entries above the watermark; older ones are garbage, and removing them is all such a trim does.
   * On RocksDB each trim is three iterator seeks, which at every stepped drain were most of the
   * matcher's time; deferred, a (rule, key) keeps at most this many stale counters (a rule that
   * leaves the key is trimmed at once).
   */
  static final int TRIM_EVERY = 16;

  /**
   * Runs one key (the current key) up to the watermark: its events ({@code events}, in time order)
   * through the rules, then the rules that saw them to the watermark. With no events (a timer),
   * every rule with partial matches on the key advances to the watermark.
   */
  private void drain(String key, List<Pending> events, long watermark) throws Exception {
    String spec = RoutingKeys.specOf(key);
    // Invariant: a rule has NFA state on this key iff its state id is in `rules.live`. A rule
    // that is not live is only handed events that may start a match, and costs no state read.
    KeyRules rules = keyRules.value();
    boolean rulesChanged = false;
    if (rules == null) {
      rules = new KeyRules();
    }
    java.util.Set<String> liveSet = rules.live.keySet();
    Map<String, Work> work = new LinkedHashMap<>();
    // Per event, the rules visited are the start-index candidates and the live rules the event may
    // move, in book order. The others could neither start a match on it (see StartIndex) nor move
    // one (see NoOpSteps.wakes). Which live rules an event may move, the key's wake index says: it
    // names the texts that wake a rule, or that every event may (`always`). A rule the index does
    // not know (its state changed since) is indexed again when the key has several events to
    // drain; with one, working that out costs about as much as the visit, and it is simply visited.
    WakeIndex wakeIndex = rules.wakeIndex();
    java.util.Set<String> always = new java.util.HashSet<>(wakeIndex.wokenByEveryEvent());
    if (events.size() > 1) {
      for (String stateId : List.copyOf(wakeIndex.unknown())) {
        Work w = liveWork(stateId, rules, work);
        if (w == null || !index(stateId, w, wakeIndex)) {
          always.add(stateId);
        }
      }
    } else {
      always.addAll(wakeIndex.unknown());
    }
    StartIndex index = null;
    java.util.BitSet alwaysBits = new java.util.BitSet();
    // The work of the index's readers by position: the (event, rule) loop needs no map lookup.
    Work[] byPosition = new Work[0];
    for (int i = 0; i < events.size(); i++) {
      Pending pendingEvent = events.get(i);
      boolean more = i + 1 < events.size();
      long t = pendingEvent.ts();
      Event event = pendingEvent.routed().event();
      StartIndex current = startIndex(event.stream(), spec);
      if (current != index) {
        index = current;
        alwaysBits = new java.util.BitSet();
        byPosition = new Work[index.readers().size()];
        for (String id : always) {
          setPosition(index, id, alwaysBits);
        }
        for (Map.Entry<String, Work> e : work.entrySet()) {
          int p = index.position(e.getKey());
          if (p >= 0) {
            byPosition[p] = e.getValue();
          }
        }
      }
      java.util.BitSet visit = (java.util.BitSet) alwaysBits.clone();
      index.candidates(event, visit);
      StartIndex visiting = index;
      wakeIndex.woken(event, id -> setPosition(visiting, id, visit));
      for (int p = visit.nextSetBit(0); p >= 0; p = visit.nextSetBit(p + 1)) {
        RuleBook.ActiveRule active = index.readers().get(p);
        if (t < active.activeFrom()) {
          continue;
        }
        Work w = byPosition[p];
        if (w == null) {
          if (liveSet.contains(active.stateId())) {
            w = liveWork(active.stateId(), rules, work);
          } else if (active.draining() || !active.rule().mayStart(event)) {
            // A draining previous version never starts a match.
            continue;
          } else {
            RuleRuntime runtime = runtime(active);
            NFAState state = runtime.nfa.createInitialNFAState();
            w = new Work(runtime, state, liveCount(state), active.draining());
            work.put(active.stateId(), w);
          }
          byPosition[p] = w;
        }
        advance(w, t, false);
        boolean stepped = process(w, event, t);
        if (w.draining && stopStarting(w.state)) {
          w.changed();
        }
        if (stepped && more) {
          // Its partial matches changed, and so may what wakes them: index it again (one
          // traversal, about the cost of one no-op test), or it would see every later event.
          if (index(active.stateId(), w, wakeIndex)) {
            if (always.remove(active.stateId())) {
              alwaysBits.clear(p);
            }
          } else if (always.add(active.stateId())) {
            alwaysBits.set(p);
          }
        }
        if (w.dropped > 0) {
          flag(w, key);
        }
      }
    }
    if (!events.isEmpty()) {
      rulesChanged |= touch(events.get(events.size() - 1).ts(), rules);
    }

    if (events.isEmpty()) {
      // A timer: every rule of the key advances to the watermark, which prunes its windows and
      // reports its timeouts. (A drain of events leaves the rules that saw none to the key's window
      // timer, which is due by the earliest time any of them can time out: see armWindowTimer.)
      for (String stateId : List.copyOf(liveSet)) {
        if (liveWork(stateId, rules, work) == null) {
          // Stopped: release() clears it on every key; this key need not wait for that.
          rules.remove(stateId);
          rulesChanged = true;
        }
      }
    }

    // The key's earliest window expiry over all its rules, for one window timer per key.
    long nextExpiry = Long.MAX_VALUE;
    for (Map.Entry<String, Work> e : work.entrySet()) {
      Work w = e.getValue();
      // At the watermark: what it times out, and the trim of the buffer's event counters once
      // TRIM_EVERY steps have added to them.
      advance(w, watermark, w.untrimmedSteps >= TRIM_EVERY);
      boolean done = w.draining ? liveCount(w.state) == 0 : w.state.getPartialMatches().size() == 1;
      // Only the start state is left: same as no state (CepOperator does the same). A draining
      // version has no start state: it is done when no partial match is left.
      boolean leaving = done && w.state.getCompletedMatches().isEmpty();
      if (leaving) {
        // Nothing of a rule that leaves the key may stay behind in its buffer.
        advance(w, watermark, true);
      }
      w.closeAccessor();
      w.runtime.metrics.livePartialMatchesChanged(
          liveCount(w.state) - (long) w.livePartialMatchesBefore);
      if (leaving) {
        rulesChanged |= rules.remove(e.getKey());
      } else {
        if (w.state.isStateChanged()) {
          w.state.resetStateChanged();
          w.state.resetNewStartPartialMatch();
          rulesChanged = true;
        }
        rulesChanged |= rules.live.put(e.getKey(), w.state) != w.state;
        if ((w.changes > 0 && w.changes != w.indexedAt) || !wakeIndex.knows(e.getKey())) {
          // New on the key, or what wakes it may have changed since it was indexed: the next drain
          // that needs to know works it out again.
          wakeIndex.forget(e.getKey());
        }
        rulesChanged |= rules.untrimmed(e.getKey(), w.untrimmedSteps);
        if (!w.runtime.stageWindows) {
          nextExpiry = Math.min(nextExpiry, w.horizon());
        }
      }
    }
    if (expireIfIdle(watermark, rules)) {
      return;
    }
    rulesChanged |= armWindowTimer(nextExpiry, watermark, rules);
    if (rulesChanged) {
      if (rules.isEmpty()) {
        keyRules.clear();
      } else {
        keyRules.update(rules);
      }
    }
  }

  /**
   * Indexes a live rule under the texts that may wake its partial matches ({@link
   * NoOpSteps#wakes}); false, and out of the index, when any event may move them.
   */
  private static boolean index(String stateId, Work w, WakeIndex wakeIndex) throws Exception {
    java.util.Optional<List<NoOpSteps.Wake>> wakes =
        w.runtime.noOpSteps.wakes(w.accessor(), w.state, w.matchedEvents);
    w.indexedAt = w.changes;
    if (wakes.isPresent()) {
      wakeIndex.set(stateId, wakes.get());
      return true;
    }
    wakeIndex.setWokenByEveryEvent(stateId);
    return false;
  }

  /**
   * One window timer per key, at the earliest time a partial match of any of its rules can expire
   * (not one per new partial match, as {@code CepOperator} registers): when it fires, the drain
   * advances every rule of the key to the watermark and arms the next one. A pending timer at or
   * before that time is enough; a later one is left to fire for nothing.
   *
   * @return whether {@code rules} changed
   */
  private boolean armWindowTimer(long expiry, long watermark, KeyRules rules) {
    long armed = rules.windowTimer;
    boolean stillDue = armed != KeyRules.NONE && armed > watermark;
    if (expiry == Long.MAX_VALUE || (stillDue && armed <= expiry)) {
      return false;
    }
    timers.registerEventTimeTimer(VoidNamespace.INSTANCE, expiry);
    rules.windowTimer = expiry;
    return true;
  }

  /** The work of a live rule generation, created on first use; null if it is no longer active. */
  private Work liveWork(String stateId, KeyRules rules, Map<String, Work> work) throws Exception {
    Work w = work.get(stateId);
    if (w != null) {
      return w;
    }
    java.util.Optional<RuleBook.ActiveRule> active = book.activeByStateId(stateId);
    NFAState state = rules.live.get(stateId);
    if (active.isEmpty() || state == null) {
      return null;
    }
    RuleRuntime runtime = runtime(active.get());
    w = new Work(runtime, state, liveCount(state), active.get().draining());
    w.untrimmedSteps = rules.untrimmed.getOrDefault(stateId, 0);
    work.put(stateId, w);
    return w;
  }

  private static void setPosition(StartIndex index, String stateId, java.util.BitSet bits) {
    int p = index.position(stateId);
    if (p >= 0) {
      bits.set(p);
    }
  }

  /** The start index of (stream, spec), rebuilt when the book has changed its readers. */
  private StartIndex startIndex(String stream, String spec) {
    StartIndex last = lastStartIndex;
    if (last != null && stream.equals(last.stream()) && spec.equals(lastSpec)) {
      // Most events of a job are of one stream and spec: no key to build and look up. (Reset by
      // every rule command, which may change the readers.)
      return last;
    }
    List<RuleBook.ActiveRule> readers = book.readersOf(stream, spec);
    String key = stream + '\u0000' + spec;
    StartIndex index = startIndexes.get(key);
    if (index == null || index.readers() != readers) {
      index = new StartIndex(stream, readers);
      startIndexes.put(key, index);
    }
    lastStartIndex = index;
    lastSpec = spec;
    return index;
  }

  private RuleRuntime activeRuntime(String stateId) throws Exception {
    java.util.Optional<RuleBook.ActiveRule> active = book.activeByStateId(stateId);
    return active.isPresent() ? runtime(active.get()) : null;
  }

  /**
   * Removes the start states: the NFA continues its partial matches but begins no new one.
   *
   * @return whether there were any
   */
  private static boolean stopStarting(NFAState state) {
    boolean hasStart = false;
    for (ComputationState cs : state.getPartialMatches()) {
      hasStart |= cs.getPreviousBufferEntry() == null;
    }
    if (hasStart) {
      PriorityQueue<ComputationState> rest =
          new PriorityQueue<>(NFAState.COMPUTATION_STATE_COMPARATOR);
      for (ComputationState cs : state.getPartialMatches()) {
        if (cs.getPreviousBufferEntry() != null) {
          rest.add(cs);
        }
      }
      state.setNewPartialMatches(rest);
      state.setStateChanged();
    }
    return hasStart;
  }

  private static int liveCount(NFAState state) {
    int count = 0;
    for (ComputationState cs : state.getPartialMatches()) {
      if (cs.getPreviousBufferEntry() != null) {
        count++;
      }
    }
    return count;
  }

  /**
   * {@code NFA.advanceTime} as CepOperator calls it: before each timestamp and at the watermark. It
   * is skipped when it cannot time anything out (see {@link RuleRuntime#timeoutHorizon}): on a hot
   * key with long windows that is almost every event. Then it would only rebuild the same queue,
   * find no completed match freed (nothing changed since the last call), and trim the shared
   * buffer's per-timestamp event counters; {@code trim} asks for the call anyway, when the NFA has
   * stepped since it last ran (only a step adds to those counters).
   */
  private void advance(Work w, long time, boolean trim) throws Exception {
    boolean due = time > w.advancedTo && time >= w.horizon();
    if (!due && !(trim && w.untrimmedSteps > 0)) {
      return;
    }
    w.advancedTo = Math.max(w.advancedTo, time);
    RuleRuntime runtime = w.runtime;
    w.changed();
    w.untrimmedSteps = 0;
    Tuple2<Collection<Map<String, List<Event>>>, Collection<Tuple2<Map<String, List<Event>>, Long>>>
        result =
            runtime.nfa.advanceTime(
                w.accessor(), w.state, time, runtime.rule.pattern().getAfterMatchSkipStrategy());
    emitMatches(runtime, result.f0);
    if (runtime.rule.handlesTimeout()) {
      for (Tuple2<Map<String, List<Event>>, Long> timedOut : result.f1) {
        runtime.metrics.timeouts.inc();
        emit(
            runtime,
            Alerts.of(
                runtime.rule,
                Alert.Kind.TIMEOUT,
                timedOut.f0,
                timedOut.f1,
                System.currentTimeMillis(),
                settings.alerts()));
      }
    }
  }

  /** Steps {@code event} through the rule's NFA; false when the step provably changed nothing. */
  private boolean process(Work w, Event event, long t) throws Exception {
    RuleRuntime runtime = w.runtime;
    long started = System.nanoTime();
    SharedBufferAccessor<Event> accessor = w.accessor();
    if (runtime.noOpSteps.unchanged(accessor, w.state, event, t, w.matchedEvents)) {
      // Exactly what the NFA would do (see NoOpSteps), minus the work.
      runtime.metrics.eventsEvaluated.inc();
      runtime.metrics.stepsSkipped.inc();
      runtime.metrics.evaluationNanos.inc(System.nanoTime() - started);
      return false;
    }
    w.changed();
    w.untrimmedSteps++;
    Collection<Map<String, List<Event>>> matches =
        runtime.nfa.process(
            accessor,
            w.state,
            event,
            t,
            runtime.rule.pattern().getAfterMatchSkipStrategy(),
            cepTimers);
    if (runtime.nfa.getWindowTime() > 0 && w.state.isNewStartPartialMatch()) {
      if (runtime.stageWindows) {
        // Only the NFA knows when these expire: a timer per new partial match, as CepOperator.
        timers.registerEventTimeTimer(VoidNamespace.INSTANCE, t + runtime.nfa.getWindowTime());
      }
      w.state.resetNewStartPartialMatch();
    }
    enforceCap(w, accessor);
    runtime.metrics.eventsEvaluated.inc();
    runtime.metrics.evaluationNanos.inc(System.nanoTime() - started);
    emitMatches(runtime, matches);
    return true;
  }

  /** Reports once per rule version and subtask that the cap dropped partial matches. */
  private void flag(Work w, String key) {
    MatchingRule rule = w.runtime.rule;
    if (flagged.add(rule.id() + "@" + rule.version())) {
      status(
          new RuleStatus(
              rule.id(),
              rule.version(),
              getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
              getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks(),
              RuleStatus.State.FLAGGED,
              "more than "
                  + settings.maxPartialMatches()
                  + " partial matches on key "
                  + key.replace('\u001f', ' ')
                  + ": the oldest were dropped (metric droppedByCap)",
              System.currentTimeMillis()));
    }
  }

  private void emitMatches(RuleRuntime runtime, Collection<Map<String, List<Event>>> matches) {
    for (Map<String, List<Event>> match : matches) {
      if (runtime.rule.reportsMatches() && runtime.rule.having(match)) {
        runtime.metrics.matches.inc();
        for (Alert alert :
            Alerts.ofMatch(runtime.rule, match, System.currentTimeMillis(), settings.alerts())) {
          emit(runtime, alert);
        }
      }
    }
  }

  private void emit(RuleRuntime runtime, Alert alert) {
    runtime.metrics.detected(alert);
    out.collect(alert);
  }

  /**
   * Keeps at most {@code maxPartialMatches} live partial matches of the rule on this key: the
   * oldest (by start time) beyond it are dropped, their shared-buffer entries released.
   */
  private void enforceCap(Work w, SharedBufferAccessor<Event> accessor) throws Exception {
    int cap = settings.maxPartialMatches();
    if (cap <= 0) {
      return;
    }
    int live = liveCount(w.state);
    if (live <= cap) {
      return;
    }
    List<ComputationState> all = new ArrayList<>(w.state.getPartialMatches());
    List<ComputationState> partial = new ArrayList<>();
    PriorityQueue<ComputationState> kept =
        new PriorityQueue<>(NFAState.COMPUTATION_STATE_COMPARATOR);
    for (ComputationState cs : all) {
      if (cs.getPreviousBufferEntry() == null) {
        kept.add(cs);
      } else {
        partial.add(cs);
      }
    }
    partial.sort(Comparator.comparingLong(ComputationState::getStartTimestamp).reversed());
    for (int i = 0; i < partial.size(); i++) {
      ComputationState cs = partial.get(i);
      if (i < cap) {
        kept.add(cs);
      } else {
        accessor.releaseNode(cs.getPreviousBufferEntry(), cs.getVersion());
        w.runtime.metrics.droppedByCap.inc();
        w.dropped++;
      }
    }
    w.state.setNewPartialMatches(kept);
    w.state.setStateChanged();
  }

  /**
   * Drops every piece of state of a key whose last event is older than the idle-key TTL. Not at the
   * end of input (watermark MAX): the job is finishing and there is nothing left to save.
   *
   * @return whether the key's state is gone
   */
  private boolean expireIfIdle(long watermark, KeyRules rules) throws Exception {
    long ttl = settings.idleKeyTtl().toMillis();
    if (ttl <= 0 || watermark == Long.MAX_VALUE) {
      return false;
    }
    if (rules.lastSeen == KeyRules.NONE || rules.lastSeen + ttl > watermark) {
      return false;
    }
    // Only live rules hold NFA state and shared-buffer entries on this key (see drain).
    for (Map.Entry<String, NFAState> e : rules.live.entrySet()) {
      RuleRuntime runtime = activeRuntime(e.getKey());
      if (runtime == null) {
        continue;
      }
      runtime.metrics.livePartialMatchesChanged(-liveCount(e.getValue()));
      runtime.clearCurrentKey();
    }
    keyRules.clear();
    expiredKeys.inc();
    return true;
  }
}
