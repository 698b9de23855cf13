package io.vigil.runtime.drools;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.drools.DecisionLimits;
import io.vigil.compiler.event.Event;
import io.vigil.dsl.limits.Limits;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.engine.VigilEngine;
import io.vigil.runtime.matcher.state.EventSerializer;
import io.vigil.runtime.rules.compiled.CompilingRuleBuilder;
import io.vigil.runtime.source.EventDecoding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The evaluations a DRL rule set's limits cut raise nothing and are counted per rule set, as {@code
 * drlEvaluationsCut} in the metric group {@code rule=<id>}: of the matcher for a stateless rule
 * set, of {@code vigil-decision-sessions} for a stateful one.
 */
class EvaluationsCutMetricTest {

  private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static final String STREAM =
      """
      stream readings
        time ts
        fields
          deviceId: string
          temperature: double
          ts: timestamp
      """;

  /** Loops for ever on a hot reading (each firing re-activates the rule); raises on a warm one. */
  static final String LOOPING =
      """
      // vigil: streams readings
      // vigil: partition by deviceId
      package loop;

      declare Counter
        n : int
      end

      rule "hot starts a loop"
      when
        readings( temperature > 90 )
      then
        insert(new Counter(0));
      end

      rule "again and again"
      when
        $c : Counter( n >= 0 )
      then
        modify($c) { setN($c.getN() + 1) }
      end

      rule "warm"
      when
        $r : readings( temperature > 50, temperature <= 90 )
      then
        alerts.raise("Warm").message($r.getDeviceId());
      end
      """;

  @Test
  void theEvaluationsTheLimitsCutOfAStatelessRuleSetAreCountedPerRuleSetAndRaiseNothing()
      throws Exception {
    assertThreeHotReadingsCutAndTheWarmOneRaised("looping", LOOPING);
  }

  @Test
  void theEvaluationsTheLimitsCutOfAStatefulRuleSetAreCountedPerRuleSetAndRaiseNothing()
      throws Exception {
    String stateful = LOOPING.replace("package loop;", "// vigil: expire after 10m\npackage loop;");
    assertThreeHotReadingsCutAndTheWarmOneRaised("looping_sessions", stateful);
  }

  private static void assertThreeHotReadingsCutAndTheWarmOneRaised(String id, String drl)
      throws Exception {
    RuleCommand.DeclareStream stream = new RuleCommand.DeclareStream("readings", 1, STREAM);
    List<RuleCommand> initial =
        List.of(
            stream,
            new RuleCommand.UpsertRule(
                id, 1, drl, Long.MIN_VALUE, false, RuleCommand.Language.DRL));
    List<Event> events = new ArrayList<>();
    double[] temperatures = {95, 60, 99, 20, 120};
    for (int i = 0; i < temperatures.length; i++) {
      long ts = 1_000_000 + i * 1000L;
      events.add(new Event("readings", ts, new Object[] {"d" + (i % 2), temperatures[i], ts}));
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    DataStream<Event> source = env.fromData(events, EventSerializer.TYPE_INFO);
    DataStream<RuleCommand> control =
        env.fromData(List.<RuleCommand>of(stream), TypeInformation.of(RuleCommand.class));
    VigilEngine.Outputs outputs =
        VigilEngine.builder(
                new CompilingRuleBuilder(
                    Limits.defaults(), new DecisionLimits(200, Duration.ofSeconds(30), 100)))
            .initialCommands(initial)
            .attach(source, EventDecoding.decoded(), control);
    List<Alert> alerts = new ArrayList<>();
    JobID job;
    try (CloseableIterator<Alert> collected = outputs.alerts().collectAsync()) {
      JobClient client = env.executeAsync();
      job = client.getJobID();
      collected.forEachRemaining(alerts::add);
    }
    assertThat(alerts).extracting(Alert::message).containsExactly("d1");

    Map<String, Metric> cut =
        REPORTER.findMetrics(job, ".*\\.rule\\." + Pattern.quote(id) + "\\.drlEvaluationsCut");
    assertThat(cut).isNotEmpty();
    long total = 0;
    for (Metric m : cut.values()) {
      total +=
          m instanceof Counter c ? c.getCount() : ((Number) ((Gauge<?>) m).getValue()).longValue();
    }
    // The three hot readings.
    assertThat(total).isEqualTo(3);
  }
}
