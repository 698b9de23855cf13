package io.vigil.runtime.matcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.event.Event;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.engine.StaticCepBaseline;
import io.vigil.runtime.engine.VigilEngine;
import io.vigil.runtime.rules.RuleBuilder;
import io.vigil.runtime.source.EventDecoding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * Runs the dynamic runtime (all rules at once) and one static {@code CEP.pattern} operator per rule
 * on the same events in one Flink job, and compares their alerts.
 */
final class Differential {

  private Differential() {}

  /**
   * @param lateness the bound of out-of-orderness of {@code events} for the static side; events
   *     must never be late for either side (both would drop them, at different watermarks)
   * @param pacing a pause after each event of the source, with watermarks every millisecond: the
   *     matcher then drains a key's events over many watermarks, mostly one or a few at a time, and
   *     its state (partial matches, the wake index, window timers) carries from drain to drain.
   *     Without it the whole input passes before the first periodic watermark, and every key is
   *     drained once, at the end of input. How events fall into drains then varies from run to run;
   *     the alerts must not.
   */
  static void run(
      RuleBuilder builder,
      List<RuleCommand.DeclareStream> streams,
      List<RuleCommand.UpsertRule> rules,
      List<Event> events,
      Duration lateness,
      Duration pacing,
      Map<String, Long> dynamic,
      Map<String, Long> fixed)
      throws Exception {
    List<RuleCommand> initial = new ArrayList<>(streams);
    initial.addAll(rules);

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    // Everything up to the keyed operators runs with parallelism 1: events of one key then arrive
    // in one order on both sides, which matters for equal timestamps (insertion order decides).
    env.setParallelism(1);
    DataStream<Event> source =
        env.fromData(events, io.vigil.runtime.matcher.state.EventSerializer.TYPE_INFO);
    if (!pacing.isZero()) {
      env.getConfig().setAutoWatermarkInterval(1);
      long nanos = pacing.toNanos();
      source =
          source
              .map(
                  e -> {
                    java.util.concurrent.locks.LockSupport.parkNanos(nanos);
                    return e;
                  },
                  io.vigil.runtime.matcher.state.EventSerializer.TYPE_INFO)
              .name("pacing");
    }
    DataStream<RuleCommand> control =
        env.fromData(List.<RuleCommand>of(streams.get(0)), TypeInformation.of(RuleCommand.class));
    VigilEngine.Outputs outputs =
        VigilEngine.builder(builder)
            .initialCommands(initial)
            .matcherParallelism(2)
            .attach(source, EventDecoding.decoded(), control);
    DataStream<Event> timed =
        source.assignTimestampsAndWatermarks(
            WatermarkStrategy.<Event>forBoundedOutOfOrderness(lateness)
                .withTimestampAssigner((e, t) -> e.timestamp()));
    DataStream<Alert> reference = StaticCepBaseline.attach(timed, builder, streams, rules);
    DataStream<String> tagged =
        outputs
            .alerts()
            .map(a -> "D " + describe(a))
            .union(reference.map(a -> "S " + describe(a)))
            .union(outputs.late().map(e -> "L " + e))
            .union(outputs.deadLetters().map(d -> "X " + d));
    try (CloseableIterator<String> it = tagged.executeAndCollect()) {
      while (it.hasNext()) {
        String line = it.next();
        assertThat(line).doesNotStartWith("L ").doesNotStartWith("X ");
        Map<String, Long> target = line.startsWith("D ") ? dynamic : fixed;
        target.merge(line.substring(2), 1L, Long::sum);
      }
    }
  }

  /** Compares alert multisets and reports only the difference (the full sets are long). */
  static void assertSameAlerts(Map<String, Long> dynamic, Map<String, Long> fixed) {
    Map<String, Long> missing = new TreeMap<>();
    Map<String, Long> extra = new TreeMap<>();
    fixed.forEach(
        (k, v) -> {
          long d = dynamic.getOrDefault(k, 0L);
          if (d < v) {
            missing.put(k, v - d);
          }
        });
    dynamic.forEach(
        (k, v) -> {
          long f = fixed.getOrDefault(k, 0L);
          if (f < v) {
            extra.put(k, v - f);
          }
        });
    assertThat(missing).as("alerts of static CEP missing from the runtime").isEmpty();
    assertThat(extra).as("alerts of the runtime that static CEP does not give").isEmpty();
  }

  static String describe(Alert a) {
    return a.ruleId() + " " + a.kind() + " " + a.alertId() + " " + a.message() + " " + a.events();
  }
}
