package io.vigil.runtime.matching;

import io.vigil.compiler.event.Event;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.State;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.ListSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.cep.nfa.ComputationState;
import org.apache.flink.cep.nfa.NFAState;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBufferAccessor;
import org.apache.flink.cep.time.TimerService;
import org.apache.flink.runtime.state.KeyedStateFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The heart of the runtime: every rule of one partition spec, on one Flink key, each driving Flink
 * CEP's own NFA with {@code CepOperator}'s event-time semantics.
 *
 * <ul>
 *   <li>Events are buffered per timestamp in keyed state, with one timer per key at the earliest
 *       buffered time; when the watermark passes, they are fed in timestamp order (insertion order
 *       within a timestamp) to the NFAs of the rules that read their stream, {@code advanceTime}
 *       before each timestamp (skipped where it provably times nothing out) and at the watermark, a
 *       timer at {@code start + within} for each new partial match. Events at or below the
 *       watermark are late (side output {@link #LATE}).
 *   <li>Each rule's state (NFA state and shared buffer) lives under {@code vigil/<rule>/<gen>/…}:
 *       nothing is shared between rules; a pattern change starts a new generation and releases the
 *       old one on every key.
 *   <li>A rule with no partial match on a key is only handed events that pass its start condition
 *       ({@link MatchingRule#mayStart}), and is only start-tested on events that hold the value its
 *       start condition requires, if any ({@link StartIndex}).
 * </ul>
 *
 * Rules come from the broadcast control stream; the initial rules given to the constructor apply
 * until the control stream says otherwise (the broadcast state wins after a restore).
 */
public final class DynamicMatcher
    extends KeyedBroadcastProcessFunction<String, Routed, RuleCommand, Alert> {

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

  private transient RuleBook book;
  private transient boolean loaded;
  private transient Map<String, RuleRuntime> runtimes;
  private transient Map<String, RuleMetrics> metrics;
  private transient java.util.Set<String> flagged;
  private transient Map<String, StartIndex> startIndexes;
  private transient StartIndex lastStartIndex;
  private transient String lastSpec;
  private transient MapState<Long, List<Event>> queue;
  private transient ValueState<List<String>> live;
  private transient ValueStateDescriptor<List<String>> liveDescriptor;

  /**
   * Per key, {@code [last event time, queue timer due]} ({@link #NONE}: no event seen under a TTL,
   * no queue timer): one state read per event instead of two.
   */
  private transient ValueState<long[]> clock;

  private static final int LAST_SEEN = 0;
  private static final int QUEUE_DUE = 1;
  private static final long NONE = Long.MIN_VALUE;
  private transient TimerService cepTimers;
  private transient org.apache.flink.metrics.Counter lateEvents;
  private transient org.apache.flink.metrics.Counter expiredKeys;

  public DynamicMatcher(
      RuleBuilder builder,
      List<RuleCommand> initial,
      TypeSerializer<Event> eventSerializer,
      MatcherSettings settings) {
    this.builder = builder;
    this.initial = List.copyOf(initial);
    this.eventSerializer = eventSerializer;
    this.settings = settings;
  }

  @Override
  public void open(OpenContext openContext) throws Exception {
    book = new RuleBook(builder);
    runtimes = new HashMap<>();
    metrics = new HashMap<>();
    flagged = new java.util.HashSet<>();
    startIndexes = new HashMap<>();
    queue =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "vigil/queue", LongSerializer.INSTANCE, new ListSerializer<>(eventSerializer)));
    liveDescriptor =
        new ValueStateDescriptor<>("vigil/live", new ListSerializer<>(StringSerializer.INSTANCE));
    live = getRuntimeContext().getState(liveDescriptor);
    clock =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>(
                    "vigil/clock",
                    org.apache.flink.api.common.typeutils.base.array.LongPrimitiveArraySerializer
                        .INSTANCE));
    lateEvents = getRuntimeContext().getMetricGroup().counter("lateEvents");
    expiredKeys = getRuntimeContext().getMetricGroup().counter("expiredKeys");
    cepTimers = System::currentTimeMillis;
  }

  @Override
  public void close() throws Exception {
    if (runtimes != null) {
      for (RuleRuntime runtime : runtimes.values()) {
        runtime.close();
      }
    }
  }

  // ------------------------------------------------------------------ rules

  private void ensureLoaded(ReadOnlyBroadcastState<String, String> state) throws Exception {
    if (loaded) {
      return;
    }
    book.load(state.immutableEntries(), initial);
    loaded = true;
  }

  @Override
  public void processBroadcastElement(RuleCommand command, Context ctx, Collector<Alert> out)
      throws Exception {
    BroadcastState<String, String> state = ctx.getBroadcastState(RULES);
    ensureLoaded(state);
    lastStartIndex = null;
    int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
    int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
    long watermark = ctx.currentWatermark();
    for (RuleBook.Outcome outcome : book.apply(command)) {
      startDrains(watermark);
      java.util.Optional<String> stored = book.serialize(outcome.ruleId());
      if (outcome.state() != RuleStatus.State.REJECTED && stored.isPresent()) {
        state.put(outcome.ruleId(), stored.get());
      }
      for (long generation : outcome.released()) {
        release(ctx, outcome.ruleId() + "/" + generation);
      }
      ctx.output(
          STATUS,
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
      release(ctx, stateId);
      String ruleId = stateId.substring(0, stateId.lastIndexOf('/'));
      book.serialize(ruleId).ifPresent(json -> putUnchecked(state, ruleId, json));
    }
    // A metadata-only update keeps the runtime (and its NFA) but renders with the new version.
    for (RuleBook.ActiveRule active : book.active()) {
      RuleRuntime runtime = runtimes.get(active.stateId());
      if (runtime != null) {
        runtime.rule = active.rule();
      }
    }
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

  private static void putUnchecked(BroadcastState<String, String> state, String key, String json) {
    try {
      state.put(key, json);
    } catch (Exception e) {
      throw new IllegalStateException("cannot write broadcast state", e);
    }
  }

  /** Clears a rule generation's state on every key of this instance. */
  private void release(Context ctx, String stateId) throws Exception {
    RuleRuntime runtime = runtimes.remove(stateId);
    List<StateDescriptor<?, ?>> descriptors =
        runtime != null
            ? runtime.descriptors
            : RuleRuntime.descriptors(getRuntimeContext(), stateId, eventSerializer);
    if (runtime != null) {
      runtime.close();
    }
    for (StateDescriptor<?, ?> descriptor : descriptors) {
      clearEverywhere(ctx, descriptor);
    }
    ctx.applyToKeyedState(
        liveDescriptor,
        (key, state) -> {
          List<String> ids = state.value();
          if (ids != null && ids.contains(stateId)) {
            List<String> rest = new ArrayList<>(ids);
            rest.remove(stateId);
            if (rest.isEmpty()) {
              state.clear();
            } else {
              state.update(rest);
            }
          }
        });
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void clearEverywhere(Context ctx, StateDescriptor descriptor) throws Exception {
    ctx.applyToKeyedState(descriptor, (KeyedStateFunction<String, State>) (key, s) -> s.clear());
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
              eventSerializer,
              metrics(active.rule().id()));
      runtimes.put(active.stateId(), runtime);
    }
    return runtime;
  }

  // ------------------------------------------------------------------ events

  @Override
  public void processElement(Routed routed, ReadOnlyContext ctx, Collector<Alert> out)
      throws Exception {
    if (!loaded) {
      ensureLoaded(ctx.getBroadcastState(RULES));
    }
    Long timestamp = ctx.timestamp();
    long ts = timestamp == null ? routed.event().timestamp() : timestamp;
    if (ts > ctx.timerService().currentWatermark()) {
      List<Event> atTs = queue.get(ts);
      if (atTs == null) {
        atTs = new ArrayList<>(2);
      }
      atTs.add(routed.event());
      queue.put(ts, atTs);
      long[] times = clock.value();
      if (times == null) {
        times = new long[] {NONE, NONE};
      }
      // One queue timer per key, at the earliest queued time (not one per timestamp, as
      // CepOperator does): when it fires, onTimer drains everything up to the watermark and
      // re-arms it at the earliest time left. A hot key then costs one onTimer per watermark.
      boolean changed = false;
      if (times[QUEUE_DUE] == NONE || ts < times[QUEUE_DUE]) {
        ctx.timerService().registerEventTimeTimer(ts);
        times[QUEUE_DUE] = ts;
        changed = true;
      }
      changed |= touch(ts, times, ctx);
      if (changed) {
        clock.update(times);
      }
    } else if (routed.primary()) {
      lateEvents.inc();
      ctx.output(LATE, lateJson(routed.event(), ctx.timerService().currentWatermark()));
    }
  }

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

  /** Records the key's latest event time for the idle-key TTL; true if {@code times} changed. */
  private boolean touch(long ts, long[] times, ReadOnlyContext ctx) {
    long ttl = settings.idleKeyTtl().toMillis();
    long last = times[LAST_SEEN];
    if (ttl <= 0 || (last != NONE && ts <= last)) {
      return false;
    }
    times[LAST_SEEN] = ts;
    // One timer per key and slice of the TTL, not per event: registered only when the event moves
    // the key's expiry into a later slice (registering the same timer again costs a lookup in the
    // timer queue).
    long due = expiryTimer(ts, ttl);
    if (last == NONE || due != expiryTimer(last, ttl)) {
      ctx.timerService().registerEventTimeTimer(due);
    }
    return true;
  }

  /** The TTL timer of a key last seen at {@code ts}: the end of the slice its expiry falls in. */
  private static long expiryTimer(long ts, long ttl) {
    long slice = Math.max(1, ttl / 8);
    return ((ts + ttl) / slice + 1) * slice;
  }

  /** Per rule, the state being worked on while one timer drains the queue of one key. */
  private static final class Work {
    final RuleRuntime runtime;
    final NFAState state;
    final int livePartialMatchesBefore;
    long advancedTo = Long.MIN_VALUE;

    /**
     * Whether the NFA has stepped since {@code advanceTime} last ran (or since the drain began).
     */
    boolean stepped;

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
    }

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
      if (draining) {
        stopStarting(state);
      }
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
    if (!loaded) {
      ensureLoaded(ctx.getBroadcastState(RULES));
    }
    long watermark = ctx.timerService().currentWatermark();
    String spec = RoutingKeys.specOf(ctx.getCurrentKey());

    PriorityQueue<Long> times = new PriorityQueue<>();
    for (Long t : queue.keys()) {
      times.add(t);
    }
    // Invariant: a rule has stored NFA state on this key iff its state id is in `live`. A rule
    // that is not live is only handed events that may start a match, and costs no state read.
    List<String> liveIds = live.value();
    if (liveIds == null) {
      liveIds = List.of();
    }
    // Looked up for every (event, rule) pair: a set, not the list.
    java.util.Set<String> liveSet =
        liveIds.isEmpty() ? java.util.Set.of() : new java.util.HashSet<>(liveIds);
    Map<String, Work> work = new LinkedHashMap<>();
    // Per event, the rules visited are the live ones and the start-index candidates, in book
    // order; the others could not start a match on it (see StartIndex).
    StartIndex index = null;
    java.util.BitSet liveBits = new java.util.BitSet();
    // The work of the index's readers by position: the (event, rule) loop needs no map lookup.
    Work[] byPosition = new Work[0];
    while (!times.isEmpty() && times.peek() <= watermark) {
      long t = times.poll();
      for (Event event : queue.get(t)) {
        StartIndex current = startIndex(event.stream(), spec);
        if (current != index) {
          index = current;
          liveBits = new java.util.BitSet();
          byPosition = new Work[index.readers.size()];
          for (String id : liveSet) {
            setPosition(index, id, liveBits);
          }
          for (Map.Entry<String, Work> e : work.entrySet()) {
            int p = index.position(e.getKey());
            if (p >= 0) {
              liveBits.set(p);
              byPosition[p] = e.getValue();
            }
          }
        }
        java.util.BitSet visit = (java.util.BitSet) liveBits.clone();
        index.candidates(event, visit);
        for (int p = visit.nextSetBit(0); p >= 0; p = visit.nextSetBit(p + 1)) {
          RuleBook.ActiveRule active = index.readers.get(p);
          if (t < active.activeFrom()) {
            continue;
          }
          Work w = byPosition[p];
          if (w == null) {
            boolean isLive = liveSet.contains(active.stateId());
            if (!isLive && (active.draining() || !active.rule().mayStart(event))) {
              // A draining previous version never starts a match.
              continue;
            }
            RuleRuntime runtime = runtime(active);
            NFAState state = isLive ? runtime.nfaState.value() : null;
            if (state == null) {
              state = runtime.nfa.createInitialNFAState();
            }
            w = new Work(runtime, state, liveCount(state), active.draining());
            work.put(active.stateId(), w);
            byPosition[p] = w;
            liveBits.set(p);
          }
          advance(w, t, false, out);
          process(w, event, t, ctx, out);
          if (w.draining) {
            stopStarting(w.state);
          }
          if (w.dropped > 0) {
            flag(w, ctx);
          }
        }
      }
      queue.remove(t);
    }
    long[] clockTimes = rearmQueueTimer(times, watermark, ctx);

    // Rules with partial matches on this key that saw no event now still need the watermark:
    // it prunes their windows and reports their timeouts.
    for (String stateId : liveIds) {
      if (work.containsKey(stateId)) {
        continue;
      }
      RuleRuntime runtime = activeRuntime(stateId);
      if (runtime == null) {
        continue;
      }
      NFAState state = runtime.nfaState.value();
      if (state != null) {
        boolean draining =
            book.activeByStateId(stateId).map(RuleBook.ActiveRule::draining).orElse(false);
        work.put(stateId, new Work(runtime, state, liveCount(state), draining));
      }
    }

    List<String> stillLive = new ArrayList<>();
    for (Map.Entry<String, Work> e : work.entrySet()) {
      Work w = e.getValue();
      // At the watermark (where it can matter, see advance), then flush the buffer.
      advance(w, watermark, true, out);
      w.closeAccessor();
      w.runtime.metrics.livePartialMatchesChanged(
          liveCount(w.state) - (long) w.livePartialMatchesBefore);
      boolean done = w.draining ? liveCount(w.state) == 0 : w.state.getPartialMatches().size() == 1;
      if (done && w.state.getCompletedMatches().isEmpty()) {
        // Only the start state is left: same as no state (CepOperator does the same). A draining
        // version has no start state: it is done when no partial match is left.
        w.runtime.nfaState.clear();
      } else {
        if (w.state.isStateChanged()) {
          w.state.resetStateChanged();
          w.state.resetNewStartPartialMatch();
          w.runtime.nfaState.update(w.state);
        }
        stillLive.add(e.getKey());
      }
    }
    if (stillLive.isEmpty()) {
      if (!liveIds.isEmpty()) {
        live.clear();
      }
    } else if (!stillLive.equals(liveIds)) {
      live.update(stillLive);
    }

    expireIfIdle(watermark, clockTimes);
  }

  /**
   * After a drain: the queue timer moves to the earliest time still queued (or goes). A pending
   * queue timer at or below the watermark is deleted: this call has done everything it would do
   * (drain up to the watermark, advance every live rule to it), so firing it would only repeat the
   * state reads. (It may be the timer firing now, or share its time with a window or TTL timer of
   * this key, which would be as redundant: this call advances to the watermark and checks the TTL.)
   *
   * @return the key's clock as it now is ({@code null}: none)
   */
  private long[] rearmQueueTimer(PriorityQueue<Long> remaining, long watermark, OnTimerContext ctx)
      throws Exception {
    long[] times = clock.value();
    long due = times == null ? NONE : times[QUEUE_DUE];
    if (due != NONE && due <= watermark) {
      ctx.timerService().deleteEventTimeTimer(due);
    }
    Long earliest = remaining.peek();
    long next = earliest == null ? NONE : earliest;
    if (next == due) {
      return times;
    }
    if (next != NONE) {
      ctx.timerService().registerEventTimeTimer(next);
    }
    if (times == null) {
      times = new long[] {NONE, NONE};
    }
    times[QUEUE_DUE] = next;
    if (times[LAST_SEEN] == NONE && next == NONE) {
      clock.clear();
    } else {
      clock.update(times);
    }
    return times;
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
    if (last != null && stream.equals(last.stream) && spec.equals(lastSpec)) {
      // Most events of a job are of one stream and spec: no key to build and look up. (Reset by
      // every rule command, which may change the readers.)
      return last;
    }
    List<RuleBook.ActiveRule> readers = book.readersOf(stream, spec);
    String key = stream + '\u0000' + spec;
    StartIndex index = startIndexes.get(key);
    if (index == null || index.readers != readers) {
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

  /** Removes the start states: the NFA continues its partial matches but begins no new one. */
  private static void stopStarting(NFAState state) {
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
   * buffer's per-timestamp event counters; so at the watermark it still runs if the NFA stepped
   * since it last ran (only a step registers events).
   */
  private void advance(Work w, long time, boolean atWatermark, Collector<Alert> out)
      throws Exception {
    if (time <= w.advancedTo) {
      return;
    }
    w.advancedTo = time;
    RuleRuntime runtime = w.runtime;
    // At the watermark the call also trims the shared buffer's per-timestamp event counters, which
    // only an NFA step since the last call can have added to.
    if (time < w.horizon() && !(atWatermark && w.stepped)) {
      return;
    }
    w.changed();
    w.stepped = false;
    Tuple2<Collection<Map<String, List<Event>>>, Collection<Tuple2<Map<String, List<Event>>, Long>>>
        result =
            runtime.nfa.advanceTime(
                w.accessor(), w.state, time, runtime.rule.pattern().getAfterMatchSkipStrategy());
    emitMatches(runtime, result.f0, out);
    if (runtime.rule.handlesTimeout()) {
      for (Tuple2<Map<String, List<Event>>, Long> timedOut : result.f1) {
        runtime.metrics.timeouts.inc();
        out.collect(
            Alerts.of(
                runtime.rule,
                Alert.Kind.TIMEOUT,
                timedOut.f0,
                timedOut.f1,
                System.currentTimeMillis()));
      }
    }
  }

  private void process(Work w, Event event, long t, OnTimerContext ctx, Collector<Alert> out)
      throws Exception {
    RuleRuntime runtime = w.runtime;
    long started = System.nanoTime();
    SharedBufferAccessor<Event> accessor = w.accessor();
    if (runtime.noOpSteps.unchanged(accessor, w.state, event, t, w.matchedEvents)) {
      // Exactly what the NFA would do (see NoOpSteps), minus the work.
      runtime.metrics.eventsEvaluated.inc();
      runtime.metrics.stepsSkipped.inc();
      runtime.metrics.evaluationNanos.inc(System.nanoTime() - started);
      return;
    }
    w.changed();
    w.stepped = true;
    Collection<Map<String, List<Event>>> matches =
        runtime.nfa.process(
            accessor,
            w.state,
            event,
            t,
            runtime.rule.pattern().getAfterMatchSkipStrategy(),
            cepTimers);
    if (runtime.nfa.getWindowTime() > 0 && w.state.isNewStartPartialMatch()) {
      ctx.timerService().registerEventTimeTimer(t + runtime.nfa.getWindowTime());
      w.state.resetNewStartPartialMatch();
    }
    enforceCap(w, accessor);
    runtime.metrics.eventsEvaluated.inc();
    runtime.metrics.evaluationNanos.inc(System.nanoTime() - started);
    emitMatches(runtime, matches, out);
  }

  /** Reports once per rule version and subtask that the cap dropped partial matches. */
  private void flag(Work w, OnTimerContext ctx) {
    MatchingRule rule = w.runtime.rule;
    if (flagged.add(rule.id() + "@" + rule.version())) {
      ctx.output(
          STATUS,
          new RuleStatus(
              rule.id(),
              rule.version(),
              getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
              getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks(),
              RuleStatus.State.FLAGGED,
              "more than "
                  + settings.maxPartialMatches()
                  + " partial matches on key "
                  + ctx.getCurrentKey().replace('\u001f', ' ')
                  + ": the oldest were dropped (metric droppedByCap)",
              System.currentTimeMillis()));
    }
  }

  private void emitMatches(
      RuleRuntime runtime, Collection<Map<String, List<Event>>> matches, Collector<Alert> out) {
    for (Map<String, List<Event>> match : matches) {
      if (runtime.rule.reportsMatches() && runtime.rule.having(match)) {
        runtime.metrics.matches.inc();
        out.collect(
            Alerts.of(runtime.rule, Alert.Kind.MATCH, match, 0L, System.currentTimeMillis()));
      }
    }
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
   */
  private void expireIfIdle(long watermark, long[] times) throws Exception {
    long ttl = settings.idleKeyTtl().toMillis();
    if (ttl <= 0 || watermark == Long.MAX_VALUE) {
      return;
    }
    if (times == null || times[LAST_SEEN] == NONE || times[LAST_SEEN] + ttl > watermark) {
      return;
    }
    // Only live rules hold NFA state and shared-buffer entries on this key (see onTimer).
    List<String> liveIds = live.value();
    if (liveIds != null) {
      for (String stateId : liveIds) {
        RuleRuntime runtime = activeRuntime(stateId);
        if (runtime == null) {
          continue;
        }
        NFAState state = runtime.nfaState.value();
        if (state != null) {
          runtime.metrics.livePartialMatchesChanged(-liveCount(state));
        }
        runtime.nfaState.clear();
        for (StateDescriptor<?, ?> descriptor : runtime.descriptors) {
          if (descriptor instanceof MapStateDescriptor<?, ?> map) {
            getRuntimeContext().getMapState(map).clear();
          }
        }
      }
    }
    queue.clear();
    clock.clear();
    live.clear();
    expiredKeys.inc();
  }
}
