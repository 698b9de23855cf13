package io.vigil.runtime.drools;

import io.vigil.compiler.drools.DecisionSession;
import io.vigil.compiler.drools.PatternAlertFacts;
import io.vigil.compiler.drools.RaisedAlert;
import io.vigil.compiler.event.Event;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.alert.AlertLimits;
import io.vigil.runtime.alert.AlertSerializer;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import io.vigil.runtime.matcher.state.EventSerializer;
import io.vigil.runtime.routing.Routed;
import io.vigil.runtime.routing.RoutedSerializer;
import io.vigil.runtime.routing.RoutingKeys;
import io.vigil.runtime.rules.RuleBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.base.ListSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Runs the stateful DRL rule sets: one Drools session per rule set and key, on a pseudo clock that
 * event time drives ({@link DecisionSession}). Keyed like the matcher (its events come from the
 * same router, under the rule sets' own partition specs), with the rule commands as a broadcast
 * stream.
 *
 * <p>Events (and the alerts of pattern rules a rule set reads) wait in keyed state until the
 * watermark passes their time, then go into the sessions in time order. What is in Flink state is
 * plain data only: the waiting events, and per rule set the live facts of the key as rows. The
 * sessions themselves are a cache ({@link KeySessions}). Between events, a session's clock follows
 * the watermark to every instant where it has something due ({@link DecisionSession#nextDue}: a
 * pending Drools timer such as an absence's deadline, or a fact's expiry), through an event-time
 * timer, so a rule waiting for time to pass fires when the watermark passes that instant.
 *
 * <p>The alerts a rule set raises are facts of the rule sets of the same partition that read them
 * ({@code // vigil: alerts of}), entering their sessions as the pattern rules' alerts do.
 *
 * <p>An evaluation cut by the limits raises nothing, its fact is not kept, and the rule set is
 * reported {@code FLAGGED} once per version and subtask (metric {@code drlEvaluationsCut}).
 */
public final class DecisionSessions
    extends KeyedBroadcastProcessFunction<String, Routed, RuleCommand, Alert> {

  private static final long serialVersionUID = 1L;

  public static final MapStateDescriptor<String, String> COMMANDS =
      new MapStateDescriptor<>("vigil-decision-commands", Types.STRING, Types.STRING);

  /** Per rule set, how far its session's clock had moved: a replay moves it there again. */
  private static final MapStateDescriptor<String, Long> CLOCKS =
      new MapStateDescriptor<>(
          "vigil-decision-clocks", StringSerializer.INSTANCE, LongSerializer.INSTANCE);

  public static final OutputTag<RuleStatus> STATUS =
      new OutputTag<>("vigil-decision-status", TypeInformation.of(RuleStatus.class));

  private final RuleBuilder builder;
  private final List<RuleCommand> initial;
  private final AlertLimits alertLimits;

  private transient SessionRuleSets ruleSets;
  private transient boolean loaded;
  private transient KeySessions sessions;
  private transient MapState<Long, List<Event>> queue;
  private transient MapState<String, List<Event>> facts;
  private transient EvaluationCuts cuts;
  private transient MapState<String, Long> clocks;
  private transient Counter late;
  private transient Counter droppedByCap;

  public DecisionSessions(RuleBuilder builder, List<RuleCommand> initial, AlertLimits alertLimits) {
    this.builder = builder;
    this.initial = List.copyOf(initial);
    this.alertLimits = alertLimits;
  }

  /** What the stateful rule sets produce. */
  public record Outputs(DataStream<Alert> alerts, DataStream<RuleStatus> statuses) {}

  /**
   * Adds the stateful DRL rule sets to a job: their events are taken from {@code routed} (the
   * router's output, after the watermarks) by their partition specs, the alerts of pattern rules
   * from {@code patternAlerts} (the matcher's output).
   */
  public static Outputs attach(
      DataStream<Routed> routed,
      DataStream<Alert> patternAlerts,
      DataStream<RuleCommand> control,
      RuleBuilder builder,
      List<RuleCommand> initial,
      AlertLimits alertLimits,
      int parallelism) {
    DataStream<Routed> events =
        routed
            .filter(
                r ->
                    RoutingKeys.specOf(r.key())
                        .startsWith(DecisionMatchingRule.SESSION_SPEC_PREFIX))
            .returns(RoutedSerializer.TYPE_INFO)
            .name("vigil-decision-events")
            .uid("vigil-decision-events");
    DataStream<Routed> alertFacts =
        patternAlerts
            .connect(control.broadcast(PatternAlertRouter.READERS))
            .process(new PatternAlertRouter(initial), RoutedSerializer.TYPE_INFO)
            .name("vigil-decision-alert-router")
            .uid("vigil-decision-alert-router");
    SingleOutputStreamOperator<Alert> alerts =
        events
            .union(alertFacts)
            .keyBy(Routed::key)
            .connect(control.broadcast(COMMANDS))
            .process(new DecisionSessions(builder, initial, alertLimits), AlertSerializer.TYPE_INFO)
            .name("vigil-decision-sessions")
            .uid("vigil-decision-sessions");
    if (parallelism > 0) {
      alerts.setParallelism(parallelism);
    }
    return new Outputs(alerts, alerts.getSideOutput(STATUS));
  }

  @Override
  public void open(OpenContext openContext) {
    ruleSets = new SessionRuleSets(builder);
    ListSerializer<Event> events = new ListSerializer<>(EventSerializer.INSTANCE);
    queue =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>("vigil-decision-queue", LongSerializer.INSTANCE, events));
    facts =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "vigil-decision-facts", StringSerializer.INSTANCE, events));
    clocks = getRuntimeContext().getMapState(CLOCKS);
    var metrics = getRuntimeContext().getMetricGroup();
    cuts = new EvaluationCuts(metrics.counter("drlEvaluationsCut"), getRuntimeContext());
    late = metrics.counter("drlLateEvents");
    sessions = new KeySessions(metrics.counter("drlSessionsReplayed"));
    droppedByCap = metrics.counter("drlFactsDroppedByCap");
  }

  private void ensureLoaded(ReadOnlyBroadcastState<String, String> state) throws Exception {
    if (loaded) {
      return;
    }
    ruleSets.load(state.immutableEntries());
    initial.forEach(ruleSets::apply);
    loaded = true;
  }

  @Override
  public void processElement(Routed routed, ReadOnlyContext ctx, Collector<Alert> out)
      throws Exception {
    ensureLoaded(ctx.getBroadcastState(COMMANDS));
    Event event = routed.event();
    long watermark = ctx.timerService().currentWatermark();
    long at = event.timestamp();
    if (at <= watermark) {
      if (!event.stream().equals(PatternAlertFacts.STREAM)) {
        // The matcher reports late events; here they are only counted.
        late.inc();
        return;
      }
      // An alert comes after the watermark that completed its match: it is taken at once.
      at = watermark + 1;
    }
    enqueue(event, at, ctx.timerService());
  }

  private void enqueue(Event event, long at, TimerService timers) throws Exception {
    List<Event> waiting = queue.get(at);
    List<Event> next = waiting == null ? new ArrayList<>() : new ArrayList<>(waiting);
    next.add(event);
    queue.put(at, next);
    timers.registerEventTimeTimer(at);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
    String key = ctx.getCurrentKey();
    List<DecisionMatchingRule> rules = ruleSets.ofSpec(RoutingKeys.specOf(key));
    List<Event> due = queue.get(timestamp);
    if (due != null) {
      queue.remove(timestamp);
      // Events before alerts of the same time: an alert follows the event that completed it.
      List<Event> ordered = new ArrayList<>(due);
      ordered.sort(Comparator.comparing(e -> e.stream().equals(PatternAlertFacts.STREAM)));
      for (Event event : ordered) {
        for (DecisionMatchingRule rule : rules) {
          if (reads(rule, event)) {
            evaluate(rule, key, event, ctx, out);
          }
        }
      }
    }
    // Time passes for the sessions with something due by now: a Drools timer, an expiry.
    for (DecisionMatchingRule rule : rules) {
      List<Event> live = facts.get(rule.id());
      if (live == null || live.isEmpty()) {
        continue;
      }
      boolean timeToMove =
          sessions
              .cached(rule, key)
              .map(s -> s.nextDue().orElse(Long.MAX_VALUE) <= timestamp)
              // Not in memory: replayed, it tells what is due.
              .orElse(true);
      if (timeToMove) {
        evaluate(rule, key, null, ctx, out);
      }
    }
  }

  private static boolean reads(DecisionMatchingRule rule, Event event) {
    if (event.stream().equals(PatternAlertFacts.STREAM)) {
      return rule.ruleSet().header().alertsOf().contains(PatternAlertFacts.ruleIdOf(event));
    }
    return rule.streams().contains(event.stream());
  }

  /** Inserts {@code event} (or, when null, advances the clock to the timer's time). */
  private void evaluate(
      DecisionMatchingRule rule, String key, Event event, OnTimerContext ctx, Collector<Alert> out)
      throws Exception {
    List<Event> before = facts.get(rule.id());
    List<Event> previous = before == null ? List.of() : before;
    Long clock = clocks.get(rule.id());
    DecisionSession session =
        sessions.open(rule, key, previous, clock == null ? Long.MIN_VALUE : clock);
    long dropped = session.droppedByCap();
    List<RaisedAlert> raised;
    try {
      raised = event == null ? session.advanceTo(ctx.timestamp()) : session.insert(event);
    } catch (RuntimeException e) {
      // Cut by the limits, or a consequence threw: the fact is not kept, the session is rebuilt.
      sessions.drop(rule, key);
      cuts.record(rule, e).ifPresent(status -> ctx.output(STATUS, status));
      return;
    }
    droppedByCap.inc(session.droppedByCap() - dropped);
    List<Event> live = session.facts();
    if (live.isEmpty()) {
      facts.remove(rule.id());
      clocks.remove(rule.id());
    } else {
      facts.put(rule.id(), live);
      clocks.put(rule.id(), session.now());
    }
    session.nextDue().ifPresent(ctx.timerService()::registerEventTimeTimer);
    if (!raised.isEmpty()) {
      // An alert raised as time passed is about the key's latest fact.
      Event about = event;
      if (about == null) {
        about = live.isEmpty() ? previous.get(previous.size() - 1) : live.get(live.size() - 1);
      }
      List<Alert> alerts = rule.alerts(about, raised, System.currentTimeMillis(), alertLimits);
      alerts.forEach(out::collect);
      offerToReaders(rule, alerts, ctx);
    }
  }

  /**
   * The alerts of {@code rule} become facts of the rule sets of its partition that read them, after
   * the current watermark (as a pattern rule's alerts, {@link PatternAlertRouter}).
   */
  private void offerToReaders(DecisionMatchingRule rule, List<Alert> alerts, OnTimerContext ctx)
      throws Exception {
    boolean read =
        ruleSets.ofSpec(rule.partitionSpec()).stream()
            .anyMatch(r -> r.ruleSet().header().alertsOf().contains(rule.id()));
    if (!read) {
      return;
    }
    long at = ctx.timerService().currentWatermark() + 1;
    for (Alert alert : alerts) {
      enqueue(PatternAlertRouter.fact(alert, rule.ruleSet().keyFields()), at, ctx.timerService());
    }
  }

  @Override
  public void processBroadcastElement(RuleCommand command, Context ctx, Collector<Alert> out)
      throws Exception {
    var state = ctx.getBroadcastState(COMMANDS);
    ensureLoaded(state);
    List<String> changed = ruleSets.apply(command);
    state.clear();
    for (Map.Entry<String, String> stored : ruleSets.stored().entrySet()) {
      state.put(stored.getKey(), stored.getValue());
    }
    for (String ruleId : changed) {
      sessions.dropRuleSet(ruleId);
      if (ruleSets.get(ruleId).isEmpty()) {
        // Deleted, disabled or no longer stateful: its facts go. A new version keeps them and
        // replays them (facts of streams it no longer reads are then left out).
        ctx.applyToKeyedState(
            new MapStateDescriptor<>(
                "vigil-decision-facts",
                StringSerializer.INSTANCE,
                new ListSerializer<>(EventSerializer.INSTANCE)),
            (k, state2) -> state2.remove(ruleId));
        ctx.applyToKeyedState(CLOCKS, (k, state2) -> state2.remove(ruleId));
      }
    }
  }
}
