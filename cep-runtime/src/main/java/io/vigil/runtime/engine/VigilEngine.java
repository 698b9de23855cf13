package io.vigil.runtime.engine;

import io.vigil.compiler.event.Event;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.alert.AlertSerializer;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import io.vigil.runtime.drools.DecisionSessions;
import io.vigil.runtime.matcher.DynamicMatcher;
import io.vigil.runtime.matcher.FixedRulesMatcher;
import io.vigil.runtime.matcher.MatcherSettings;
import io.vigil.runtime.matcher.state.EventSerializer;
import io.vigil.runtime.routing.EventRouter;
import io.vigil.runtime.routing.EventTimeLimits;
import io.vigil.runtime.routing.OwnKeys;
import io.vigil.runtime.routing.PerStreamWatermarks;
import io.vigil.runtime.routing.Routed;
import io.vigil.runtime.routing.RoutedSerializer;
import io.vigil.runtime.rules.RuleBook;
import io.vigil.runtime.rules.RuleBuilder;
import io.vigil.runtime.rules.RuleLimits;
import io.vigil.runtime.source.DeadLetter;
import io.vigil.runtime.source.EventDecoding;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Attaches the Vigil engine to your own streams in a few lines:
 *
 * <pre>{@code
 * VigilEngine.Outputs out = VigilEngine.builder(new CompilingRuleBuilder())
 *     .initialCommands(commandsFromFiles)
 *     .attach(rawEvents, new RawEventDecoding(), ruleCommands);
 * out.alerts().sinkTo(...);
 * }</pre>
 *
 * The plan: the router (decode, index by stream, fan out once per partition spec) → per-stream
 * watermarks → keyBy(spec, key values) → {@link DynamicMatcher}. Both operators get the rule
 * commands as a broadcast stream. Events routed under fixed rules by readers that each read the
 * whole input (a bounded replay, {@link #attachRouted}) go to a {@link FixedRulesMatcher} in each
 * reader's own task instead, each reader keeping its own keys: no shuffle, no broadcast.
 */
public final class VigilEngine {

  private final RuleBuilder builder;
  private List<RuleCommand> initial = List.of();
  private MatcherSettings settings = MatcherSettings.defaults();
  private RuleLimits limits = RuleLimits.defaults();
  private EventTimeLimits timeLimits = EventTimeLimits.none();
  private Duration idleness = Duration.ZERO;
  private int watermarkEveryEvents;
  private int matcherParallelism = -1;
  private int routerParallelism = -1;
  private boolean fixedRules;

  private VigilEngine(RuleBuilder builder) {
    this.builder = Objects.requireNonNull(builder, "builder");
  }

  public static VigilEngine builder(RuleBuilder builder) {
    return new VigilEngine(builder);
  }

  /** Streams and rules in force before the first control record (and in every fresh start). */
  public VigilEngine initialCommands(List<RuleCommand> commands) {
    this.initial = List.copyOf(commands);
    return this;
  }

  /**
   * The rules are the initial commands and no control record changes them (a bounded replay): the
   * operators that run DRL decision rule sets are left out of the job when none of them is one.
   */
  public VigilEngine fixedRules() {
    this.fixedRules = true;
    return this;
  }

  public VigilEngine settings(MatcherSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    return this;
  }

  /** Limits on the rules the control stream can make the engine hold. */
  public VigilEngine ruleLimits(RuleLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    return this;
  }

  /** How far ahead of its stream's watermark (and of the clock) an event may be dated. */
  public VigilEngine eventTimeLimits(EventTimeLimits limits) {
    this.timeLimits = Objects.requireNonNull(limits, "limits");
    return this;
  }

  /** Processing time after which a quiet stream stops holding back event time (0 = never). */
  public VigilEngine idleness(Duration idleness) {
    this.idleness = Objects.requireNonNull(idleness, "idleness");
    return this;
  }

  /**
   * Emit a watermark after every {@code events} events each router reads, besides the periodic ones
   * (0, the default: periodically only). A bounded replay reads faster than the clock's period
   * suits: this bounds the events waiting in memory for the next watermark.
   */
  public VigilEngine watermarkEveryEvents(int events) {
    if (events < 0) {
      throw new IllegalArgumentException("events must not be negative: " + events);
    }
    this.watermarkEveryEvents = events;
    return this;
  }

  /**
   * Parallelism of the router (and the watermark assigner after it); by default the environment's.
   * 1 keeps the input order per key, which decides among equal timestamps.
   */
  public VigilEngine routerParallelism(int parallelism) {
    this.routerParallelism = parallelism;
    return this;
  }

  public VigilEngine matcherParallelism(int parallelism) {
    this.matcherParallelism = parallelism;
    return this;
  }

  /** What the engine produces. */
  public record Outputs(
      DataStream<Alert> alerts,
      DataStream<RuleStatus> statuses,
      DataStream<String> late,
      DataStream<DeadLetter> deadLetters) {}

  /** The serializer of events in keyed state (queue and shared buffers). */
  public static TypeSerializer<Event> eventSerializer() {
    return EventSerializer.INSTANCE;
  }

  /** The streams the initial rules read: event time waits for them at start-up. */
  private Set<String> streamsReadByInitialRules() {
    if (idleness.isZero() || initial.isEmpty()) {
      return Set.of();
    }
    RuleBook book = new RuleBook(builder, limits);
    book.load(List.of(), initial);
    Set<String> streams = new TreeSet<>();
    for (RuleCommand command : initial) {
      if (command instanceof RuleCommand.DeclareStream declare
          && !book.readersOf(declare.stream()).isEmpty()) {
        streams.add(declare.stream());
      }
    }
    return streams;
  }

  public <IN> Outputs attach(
      DataStream<IN> events, EventDecoding<IN> decoding, DataStream<RuleCommand> commands) {
    DataStream<RuleCommand> control = controlStream(commands);
    BroadcastStream<RuleCommand> routerRules = control.broadcast(EventRouter.RULES);
    SingleOutputStreamOperator<Routed> routed =
        events
            .connect(routerRules)
            .process(
                new EventRouter<>(builder, initial, decoding, limits, timeLimits, idleness),
                // The dedicated serializer: as a POJO, Routed's Event would go through Kryo.
                RoutedSerializer.TYPE_INFO)
            .name("vigil-router")
            .uid("vigil-router");
    if (routerParallelism > 0) {
      routed.setParallelism(routerParallelism);
    }
    return matchTimed(timed(routed, routerParallelism), routed, control);
  }

  /**
   * Attaches the matcher to events already routed (and their dead letters in the side output {@link
   * EventRouter#DEAD_LETTERS}) by readers that each read the whole input and route every event of
   * it, decoding and routing in the task that reads; the rules are the initial commands and those
   * {@code commands} brings. After its watermarks, each reader keeps the events of its own task's
   * keys ({@link OwnKeys}): every reader's event time then follows the whole input, as one reader's
   * would. With {@link #fixedRules()}, no DRL rule set, and as many matchers as readers, {@code
   * commands} is not read and the matcher runs in each reader's task: no event is serialized on its
   * way to it.
   */
  public Outputs attachRouted(
      SingleOutputStreamOperator<Routed> routed, DataStream<RuleCommand> commands) {
    int parallelism = routed.getParallelism();
    SingleOutputStreamOperator<Routed> timed = timed(routed, parallelism);
    if (parallelism > 1) {
      timed = timed.filter(new OwnKeys()).name("vigil-own-keys").setParallelism(parallelism);
    }
    if (patternRulesOnly() && matcherParallelism == parallelism) {
      return matchChained(timed, routed);
    }
    return matchTimed(timed, routed, controlStream(commands));
  }

  /**
   * Fixed rules, each task holding the events of its own keys: the matcher takes them as its only
   * input, in the same task.
   */
  private Outputs matchChained(
      SingleOutputStreamOperator<Routed> own, SingleOutputStreamOperator<Routed> routed) {
    SingleOutputStreamOperator<Alert> alerts =
        DataStreamUtils.reinterpretAsKeyedStream(own, Routed::key, TypeInformation.of(String.class))
            .transform(
                "vigil-matcher",
                AlertSerializer.TYPE_INFO,
                new FixedRulesMatcher(builder, initial, eventSerializer(), settings, limits))
            .name("vigil-matcher")
            .uid("vigil-matcher")
            .setParallelism(own.getParallelism());
    return matcherOutputs(alerts, routed);
  }

  /** What the matcher {@code alerts} after {@code routed} produces, when nothing runs beside it. */
  private static Outputs matcherOutputs(
      SingleOutputStreamOperator<Alert> alerts, SingleOutputStreamOperator<Routed> routed) {
    return new Outputs(
        alerts,
        alerts.getSideOutput(DynamicMatcher.STATUS),
        alerts.getSideOutput(DynamicMatcher.LATE),
        routed.getSideOutput(EventRouter.DEAD_LETTERS));
  }

  private SingleOutputStreamOperator<Routed> timed(
      SingleOutputStreamOperator<Routed> routed, int routerParallelism) {
    SingleOutputStreamOperator<Routed> timed =
        routed
            .assignTimestampsAndWatermarks(
                PerStreamWatermarks.strategy(
                    idleness, streamsReadByInitialRules(), watermarkEveryEvents))
            .name("vigil-watermarks")
            .uid("vigil-watermarks");
    if (routerParallelism > 0) {
      timed.setParallelism(routerParallelism);
    }
    return timed;
  }

  private static DataStream<RuleCommand> controlStream(DataStream<RuleCommand> commands) {
    // The control stream must never hold event time back: it carries no event time at all.
    return commands
        .assignTimestampsAndWatermarks(WatermarkStrategy.forGenerator(ctx -> new NeverHoldBack()))
        .name("vigil-control-watermarks");
  }

  /** The matcher after {@code timed}, the events of {@code routed} with their watermarks. */
  private Outputs matchTimed(
      SingleOutputStreamOperator<Routed> timed,
      SingleOutputStreamOperator<Routed> routed,
      DataStream<RuleCommand> control) {
    // A plain broadcast: the matcher keeps its rules in broadcast state itself.
    SingleOutputStreamOperator<Alert> alerts =
        timed
            .keyBy(Routed::key)
            .connect(control.broadcast())
            .transform(
                "vigil-matcher",
                AlertSerializer.TYPE_INFO,
                new DynamicMatcher(builder, initial, eventSerializer(), settings, limits))
            .name("vigil-matcher")
            .uid("vigil-matcher");
    if (matcherParallelism > 0) {
      alerts.setParallelism(matcherParallelism);
    }
    if (patternRulesOnly()) {
      return matcherOutputs(alerts, routed);
    }
    // Stateful DRL rule sets run beside the matcher, on the same routed events and its alerts.
    DecisionSessions.Outputs decisions =
        DecisionSessions.attach(
            timed, alerts, control, builder, initial, settings.alerts(), matcherParallelism);
    return new Outputs(
        alerts.union(decisions.alerts()),
        alerts.getSideOutput(DynamicMatcher.STATUS).union(decisions.statuses()),
        alerts.getSideOutput(DynamicMatcher.LATE),
        routed.getSideOutput(EventRouter.DEAD_LETTERS));
  }

  /** The rules are fixed and none is a DRL rule set: the matcher is the whole engine. */
  private boolean patternRulesOnly() {
    return fixedRules && !holdsDecisionRules(initial);
  }

  private static boolean holdsDecisionRules(List<RuleCommand> commands) {
    return commands.stream()
        .anyMatch(
            c ->
                c instanceof RuleCommand.UpsertRule upsert
                    && upsert.language() == RuleCommand.Language.DRL);
  }

  /**
   * Marks the control stream idle for good: a two-input operator then takes its watermark from the
   * events alone. (Emitting the maximum watermark instead would be wrong: when an events input is
   * idle, e.g. a source subtask with no partition, the operator would forward the control stream's
   * maximum and every later event would be late.)
   */
  private static final class NeverHoldBack implements WatermarkGenerator<RuleCommand> {
    private boolean idle;

    @Override
    public void onEvent(RuleCommand event, long eventTimestamp, WatermarkOutput output) {}

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
      if (!idle) {
        idle = true;
        output.markIdle();
      }
    }
  }
}
