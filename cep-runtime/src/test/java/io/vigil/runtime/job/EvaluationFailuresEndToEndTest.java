package io.vigil.runtime.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules whose condition or alert template fails on an event (an integer overflow) in the live job:
 * the condition does not hold, the alert goes out with a placeholder, the rule's {@code
 * evaluationFailures} metric counts them, and the job neither fails nor restarts.
 */
class EvaluationFailuresEndToEndTest {

  private static final InMemoryReporter REPORTER = InMemoryReporter.create();

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      JobFixture.miniCluster(REPORTER.addToConfiguration(new Configuration()));

  @TempDir Path checkpoints;

  static final String MAX = Long.toString(Long.MAX_VALUE);

  static String rule(String id, String condition, String alert) {
    return """
        rule %s
          from maintenance
          partition by deviceId
          pattern
            a: %s
          alert "%s"
        """
        .formatted(id, condition, alert);
  }

  @Test
  void failingConditionsAndTemplatesAreCountedWhileTheJobKeepsRunning(
      @InjectMiniCluster MiniCluster cluster) throws Exception {
    try (JobFixture f = JobFixture.onOwnBroker(checkpoints)) {
      f.publish(new RuleCommand.DeclareStream("maintenance", 1, JobFixture.STREAM));
      f.publish(JobFixture.upsert("canary", 1, JobFixture.CANARY));
      f.publish(
          JobFixture.upsert(
              "overflow_when",
              1,
              rule("overflow_when", "action == \"OVF\" and len(tech) * " + MAX + " > 0", "when")));
      f.publish(
          JobFixture.upsert(
              "overflow_text",
              1,
              rule(
                  "overflow_text",
                  "action == \"OVF\"",
                  "{len(a.tech) * " + MAX + "} by {a.tech} on {deviceId}")));
      f.start("", UnaryOperator.identity());
      f.awaitStatus("overflow_text", 1, RuleStatus.State.ACTIVE);

      f.kafka.send(
          "vigil.events.maintenance", "d1", JobFixture.json("o1", "d1", "OVF", "a", f.time(1)));
      f.kafka.send(
          "vigil.events.maintenance", "d1", JobFixture.json("o2", "d1", "OVF", "ab", f.time(2)));
      f.barrier("d1", 10);

      assertThat(f.alerts("overflow_when")).extracting(Alert::message).containsExactly("when");
      assertThat(f.alerts("overflow_text"))
          .extracting(Alert::message)
          .containsExactlyInAnyOrder(MAX + " by a on d1", "<error> by ab on d1");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(failures(f, "overflow_when")).isEqualTo(1);
                assertThat(failures(f, "overflow_text")).isEqualTo(1);
                assertThat(failures(f, "canary")).isZero();
              });
      HostileInputEndToEndTest.assertFirstAttemptStillRunning(cluster, f.jobId());
    }
  }

  /** The rule's evaluationFailures summed over the matcher's subtasks. */
  private static long failures(JobFixture f, String ruleId) {
    long total = 0;
    for (Metric m :
        REPORTER
            .findMetrics(
                f.jobId(), ".*\\.rule\\." + Pattern.quote(ruleId) + "\\.evaluationFailures")
            .values()) {
      total += ((Number) ((Gauge<?>) m).getValue()).longValue();
    }
    return total;
  }
}
