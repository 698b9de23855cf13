package io.vigil.runtime.matcher;

import io.vigil.compiler.event.Event;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import io.vigil.runtime.matcher.EventQueue.Pending;
import io.vigil.runtime.matcher.skip.StartIndex;
import io.vigil.runtime.matcher.skip.WakeIndex;
import io.vigil.runtime.matcher.state.KeyState;
import io.vigil.runtime.matcher.state.NamespacedStateStore;
import io.vigil.runtime.routing.KeyOwnership;
import io.vigil.runtime.routing.Routed;
import io.vigil.runtime.routing.RoutedSerializer;
import io.vigil.runtime.rules.MatchingRule;
import io.vigil.runtime.rules.RuleBook;
import io.vigil.runtime.rules.RuleBuilder;
import io.vigil.runtime.rules.RuleLimits;
import java.util.List;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
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
 * CEP's own NFA with {@code CepOperator}'s event-time semantics. This class is the operator shell:
 * Flink lifecycle, state wiring and the two inputs; the work is done by
 *
 * <ul>
 *   <li>{@link EventQueue}: events wait in one queue per parallel instance, ordered by timestamp
 *       (arrival order within a timestamp), not in keyed state with a timer per key: a watermark
 *       takes every event it passes out of the queue, key by key. Events at or below the watermark
 *       are late (side output {@link #LATE}, {@link LateEvents}). The queue is checkpointed as
 *       union list state; after a restore (with any parallelism) each instance keeps the events of
 *       its key groups.
 *   <li>{@link KeyDrain}: one key's events through its rules ({@link RuleSteps}, {@link RuleWork}),
 *       {@code advanceTime} before each timestamp (skipped where it provably times nothing out) and
 *       at the watermark; one timer per key with live rules, at the earliest time any of its
 *       partial matches can expire or the key becomes idle ({@link KeyTimers}); the cap on partial
 *       matches ({@link PartialMatchCap}).
 *   <li>{@link RuleControl}: rule commands, decided by the {@link RuleBook}, applied to the
 *       broadcast state, the rules' state ({@link RuleRuntimes}) and statuses.
 * </ul>
 *
 * <p>Each rule generation's shared buffer lives in the namespace {@code <rule>/<gen>} of the buffer
 * states {@code vigil/buffer/…} ({@link NamespacedStateStore}), and its NFA state on a key in the
 * key's {@link KeyState} under the same {@code <rule>/<gen>}: no entry is shared between rules; a
 * pattern change starts a new generation and releases the old one on every key. A rule with no
 * partial match on a key is only handed events that pass its start condition ({@link
 * MatchingRule#mayStart}), and is only start-tested on events that hold the values its start
 * condition requires, if any ({@link StartIndex}). A rule waiting on a key is only shown events
 * that hold a text its waiting conditions require, if they all require one ({@link WakeIndex}).
 *
 * <p>Rules come from the broadcast control stream; the initial rules given to the constructor apply
 * until the control stream says otherwise (the broadcast state wins after a restore). Where the
 * rules never change, {@link FixedRulesMatcher} is this matcher with the events as its one input.
 */
public class DynamicMatcher extends AbstractStreamOperator<Alert>
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

  private static final ListStateDescriptor<Routed> PENDING =
      new ListStateDescriptor<>("vigil-pending", RoutedSerializer.INSTANCE);

  private final RuleBuilder builder;
  private final List<RuleCommand> initial;
  private final TypeSerializer<Event> eventSerializer;
  private final MatcherSettings settings;
  private final RuleLimits limits;

  private transient RuleBook book;
  private transient RuleRuntimes runtimes;
  private transient StartIndexes startIndexes;
  private transient RuleControl control;
  private transient KeyDrain drain;

  /** Events not yet passed by the watermark, by (timestamp, arrival). */
  private transient EventQueue pending;

  /** Groups what each watermark passes by key, for the drains. */
  private transient DueKeys dueKeys;

  /** {@link #pending} in checkpoints (union list state: any instance may own any key group). */
  private transient ListState<Routed> pendingState;

  private transient InternalTimerService<VoidNamespace> timers;
  private transient TimestampedCollector<Alert> out;
  private transient Counter lateEvents;
  private transient Counter droppedByKeyQueueCap;

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

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    pending = new EventQueue();
    dueKeys = new DueKeys();
    pendingState = context.getOperatorStateStore().getUnionListState(PENDING);
    if (context.isRestored()) {
      KeyOwnership ownership = KeyOwnership.of(getRuntimeContext().getTaskInfo());
      for (Routed routed : pendingState.get()) {
        if (ownership.owns(routed.key())) {
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
    TaskInfo task = getRuntimeContext().getTaskInfo();
    int subtask = task.getIndexOfThisSubtask();
    int parallelism = task.getNumberOfParallelSubtasks();
    book = new RuleBook(builder, limits);
    runtimes = new RuleRuntimes(book, getRuntimeContext(), getKeyedStateBackend(), eventSerializer);
    startIndexes = new StartIndexes(book);
    control = new RuleControl(book, runtimes, this::status, subtask, parallelism);
    PartialMatchCap cap =
        new PartialMatchCap(settings.maxPartialMatches(), this::status, subtask, parallelism);
    KeyTimers keyTimers = new KeyTimers(timers, settings.idleKeyTtl().toMillis());
    MetricGroup metrics = getRuntimeContext().getMetricGroup();
    drain =
        new KeyDrain(
            book,
            runtimes,
            startIndexes,
            new RuleSteps(timers, out, cap, settings.alerts(), runtimes::metricsOf),
            cap,
            keyTimers,
            getRuntimeContext().getState(KeyState.DESCRIPTOR),
            metrics.counter("expiredKeys"));
    lateEvents = metrics.counter("lateEvents");
    droppedByKeyQueueCap = metrics.counter("eventsDroppedByKeyQueueCap");
    RuleBook counted = book;
    metrics.gauge("unknownRuleIdsNotKept", () -> counted.unknownIdsNotKept());
    metrics.gauge("liveRules", () -> counted.liveRules());
    // The broadcast state is restored by now: it wins over the initial rules.
    book.load(getOperatorStateBackend().getBroadcastState(RULES).immutableEntries(), initial);
  }

  @Override
  public void close() throws Exception {
    super.close();
    if (runtimes != null) {
      runtimes.close();
    }
  }

  @Override
  public void processElement2(StreamRecord<RuleCommand> element) throws Exception {
    startIndexes.rulesChanged();
    control.apply(
        element.getValue(), currentWatermark(), getOperatorStateBackend().getBroadcastState(RULES));
  }

  private void status(RuleStatus status) {
    output.collect(STATUS, new StreamRecord<>(status));
  }

  private long currentWatermark() {
    return timers.currentWatermark();
  }

  @Override
  public void processElement1(StreamRecord<Routed> element) throws Exception {
    Routed routed = element.getValue();
    // The event's own time (which the router's watermarks assign as the record's timestamp): a
    // queue restored from a checkpoint knows only the event, and must order it the same way.
    long ts = routed.event().timestamp();
    long watermark = currentWatermark();
    if (ts > watermark) {
      int cap = settings.maxQueuedEventsPerKey();
      if (cap > 0 && pending.atLeast(routed.key(), cap)) {
        // The key's watermark is stuck or its events come faster than any window needs: the
        // queue, and the instance's heap with it, must not grow without bound.
        droppedByKeyQueueCap.inc();
        return;
      }
      pending.add(ts, routed);
    } else if (routed.primary()) {
      lateEvents.inc();
      output.collect(LATE, new StreamRecord<>(LateEvents.json(routed.event(), watermark, book)));
    }
  }

  /**
   * Feeds every queued event the watermark passes, key by key, before the watermark fires the
   * timers (windows, idle keys) and goes downstream.
   */
  @Override
  public void processWatermark(Watermark mark) throws Exception {
    long watermark = mark.getTimestamp();
    List<Pending> due = pending.takeUpTo(watermark);
    if (!due.isEmpty()) {
      out.setAbsoluteTimestamp(watermark);
      dueKeys.drain(
          due,
          (key, events) -> {
            setCurrentKey(key);
            drain.drain(key, events, watermark);
          });
    }
    super.processWatermark(mark);
  }

  /** A window or idle-key timer: the key's rules advance to the watermark. */
  @Override
  public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
    long watermark = currentWatermark();
    out.setAbsoluteTimestamp(watermark);
    drain.timer(timer.getKey(), watermark);
  }

  @Override
  public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {}
}
