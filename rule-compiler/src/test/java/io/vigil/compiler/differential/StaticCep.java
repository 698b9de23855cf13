package io.vigil.compiler.differential;

import io.vigil.compiler.event.Event;
import io.vigil.compiler.rule.CompiledRule;
import io.vigil.compiler.rule.RuleKey;
import io.vigil.dsl.check.CheckedPattern;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.functions.TimedOutPartialMatchHandler;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Runs a compiled rule through Flink's own static CEP operator ({@code CEP.pattern} on a keyed
 * stream, event time, watermarks from the event timestamps) on the MiniCluster, and returns every
 * outcome as a line:
 *
 * <pre>
 * match KEY stage=[ids] stage=[ids]      a complete match (before `having`)
 * alert KEY: message                     a complete match that passed `having` and has an alert
 * timeout KEY stage=[ids]                a timed-out partial match
 * timeout-alert KEY: message             its `on timeout alert` message
 * </pre>
 *
 * Events are keyed by {@link CompiledRule#key}; events without a key are dropped, as the runtime
 * does. Lines are sorted (keys run in parallel).
 */
final class StaticCep {

  private StaticCep() {}

  static List<String> run(CompiledRule rule, List<Event> events) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    DataStream<Event> input =
        env.fromData(
                TypeInformation.of(Event.class),
                // In time order across keys: the watermark is shared, a later-time event of one
                // key must not make an earlier one of another key late.
                events.stream()
                    .sorted(java.util.Comparator.comparingLong(Event::timestamp))
                    .toArray(Event[]::new))
            .setParallelism(1)
            .assignTimestampsAndWatermarks(
                WatermarkStrategy.<Event>forBoundedOutOfOrderness(Duration.ZERO)
                    .withTimestampAssigner((e, previous) -> e.timestamp()))
            .setParallelism(1)
            .filter(e -> rule.key(e).isPresent())
            .setParallelism(1);
    OutputTag<String> timeouts = new OutputTag<>("timeouts", Types.STRING);
    SingleOutputStreamOperator<String> matches =
        CEP.pattern(
                input.keyBy(e -> rule.key(e).orElseThrow().text(), Types.STRING), rule.pattern())
            .inEventTime()
            // As the runtime does: timed-out partial matches only for rules that alert on them.
            .process(
                rule.alertsOnTimeout()
                    ? new OutcomesWithTimeouts(rule, timeouts)
                    : new Outcomes(rule, timeouts),
                Types.STRING);
    DataStream<String> all = matches.union(matches.getSideOutput(timeouts));
    List<String> out = new ArrayList<>();
    try (CloseableIterator<String> it = all.executeAndCollect("static-cep-" + rule.id())) {
      it.forEachRemaining(out::add);
    }
    Collections.sort(out);
    return out;
  }

  /** Turns matches and timed-out partial matches into outcome lines. */
  private static class Outcomes extends PatternProcessFunction<Event, String> {

    final CompiledRule rule;
    final OutputTag<String> timeouts;

    Outcomes(CompiledRule rule, OutputTag<String> timeouts) {
      this.rule = rule;
      this.timeouts = timeouts;
    }

    @Override
    public void processMatch(Map<String, List<Event>> match, Context ctx, Collector<String> out) {
      RuleKey key = keyOf(match);
      out.collect("match " + key + " " + describe(match));
      if (rule.having(match)) {
        rule.renderAlert(match, key).ifPresent(m -> out.collect("alert " + key + ": " + m));
      }
    }

    RuleKey keyOf(Map<String, List<Event>> match) {
      return match.values().iterator().next().stream()
          .map(rule::key)
          .flatMap(java.util.Optional::stream)
          .findFirst()
          .orElseThrow();
    }

    /** Stages in pattern order, each with the ids (field eventId) of its events. */
    String describe(Map<String, List<Event>> match) {
      List<String> parts = new ArrayList<>();
      for (CheckedPattern.Stage stage : rule.checked().pattern().stages()) {
        List<Event> events = match.get(stage.name());
        if (events == null || events.isEmpty()) {
          continue;
        }
        int id = stage.stream().field("eventId").orElseThrow().index();
        parts.add(
            stage.name()
                + "="
                + events.stream()
                    .map(e -> String.valueOf(e.value(id)))
                    .collect(Collectors.joining(",", "[", "]")));
      }
      return String.join(" ", parts);
    }
  }

  /** Also reports timed-out partial matches (Flink asks for them through this interface). */
  private static final class OutcomesWithTimeouts extends Outcomes
      implements TimedOutPartialMatchHandler<Event> {

    OutcomesWithTimeouts(CompiledRule rule, OutputTag<String> timeouts) {
      super(rule, timeouts);
    }

    @Override
    public void processTimedOutMatch(Map<String, List<Event>> match, Context ctx) {
      RuleKey key = keyOf(match);
      ctx.output(timeouts, "timeout " + key + " " + describe(match));
      rule.renderTimeout(match, key)
          .ifPresent(m -> ctx.output(timeouts, "timeout-alert " + key + ": " + m));
    }
  }
}
