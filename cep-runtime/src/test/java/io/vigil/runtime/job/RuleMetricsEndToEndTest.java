package io.vigil.runtime.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-rule Flink metrics of the running job, as a metric reporter of the MiniCluster sees them
 * (Flink's in-memory test reporter on the cluster's real metric registry): they count what the rule
 * did on every subtask, and they are unregistered when the rule is deleted, so that a long-running
 * job does not export the series of every rule it ever ran.
 */
class RuleMetricsEndToEndTest {

  private static final InMemoryReporter REPORTER = InMemoryReporter.create();

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      JobFixture.miniCluster(REPORTER.addToConfiguration(new Configuration()));

  @TempDir Path checkpoints;

  private JobFixture fixture;

  @BeforeEach
  void start() {
    fixture = JobFixture.onOwnBroker(checkpoints);
  }

  @AfterEach
  void stop() throws Exception {
    fixture.close();
  }

  /** The values of one metric of one rule, summed over the matcher's subtasks. */
  private long sum(String ruleId, String metric) {
    long total = 0;
    for (Metric m : metrics(ruleId, metric).values()) {
      total +=
          m instanceof Counter c ? c.getCount() : ((Number) ((Gauge<?>) m).getValue()).longValue();
    }
    return total;
  }

  /** Metrics of the rule by identifier (one per subtask that registered it); all if "". */
  private Map<String, Metric> metrics(String ruleId, String metric) {
    String name = metric.isEmpty() ? "[^.]+" : Pattern.quote(metric);
    return REPORTER.findMetrics(
        fixture.jobId(), ".*\\.rule\\." + Pattern.quote(ruleId) + "\\." + name);
  }

  @Test
  void eachRuleCountsItsWorkAndItsMetricsGoAwayWithIt() throws Exception {
    JobFixture f = startedWithCanary();
    f.publish(JobFixture.upsert("fault_fixed", 1, JobFixture.faultThen("FIXED", "fixed")));
    f.awaitStatus("fault_fixed", 1, RuleStatus.State.ACTIVE);

    // d1: a match. d2: a FAULT that waits for its FIXED (one live partial match).
    f.event("e1", "d1", "FAULT", 0);
    f.event("e2", "d1", "FIXED", 1);
    f.event("e3", "d2", "FAULT", 2);
    f.barrier("d1", 10);
    f.barrier("d2", 20);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(sum("fault_fixed", "matches")).isEqualTo(1);
              assertThat(sum("fault_fixed", "livePartialMatches")).isEqualTo(1);
              assertThat(sum("fault_fixed", "eventsEvaluated")).isGreaterThanOrEqualTo(3);
              assertThat(sum("fault_fixed", "evaluationNanos")).isPositive();
              assertThat(sum("fault_fixed", "timeouts")).isZero();
              assertThat(sum("fault_fixed", "droppedByCap")).isZero();
            });

    // Deleted: every metric of the rule is unregistered on every subtask; the canary's stay.
    f.publish(new RuleCommand.DeleteRule("fault_fixed"));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                f.statuses().stream()
                        .filter(
                            s ->
                                s.ruleId().equals("fault_fixed")
                                    && s.state() == RuleStatus.State.DELETED)
                        .map(RuleStatus::subtask)
                        .distinct()
                        .count()
                    == 2);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(metrics("fault_fixed", "")).isEmpty());
    assertThat(sum("canary", "matches")).isGreaterThanOrEqualTo(2);

    // Published again: registered again, counting from zero.
    f.publish(JobFixture.upsert("fault_fixed", 2, JobFixture.faultThen("FIXED", "fixed again")));
    f.awaitStatus("fault_fixed", 2, RuleStatus.State.ACTIVE);
    f.event("e4", "d3", "FAULT", 40);
    f.event("e5", "d3", "FIXED", 41);
    f.barrier("d3", 50);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(sum("fault_fixed", "matches")).isEqualTo(1);
              assertThat(sum("fault_fixed", "livePartialMatches")).isZero();
            });
    assertThat(f.alerts("fault_fixed")).hasSize(2);
  }

  @Test
  void membersOfAFamilyCountTheWorkTheFamilyDoesForThem() throws Exception {
    JobFixture f = startedWithCanary();
    // The same pattern but for the final stage's condition: one family runs both.
    f.publish(JobFixture.upsert("fault_fixed", 1, JobFixture.faultThen("FIXED", "fixed")));
    f.publish(
        JobFixture.upsert(
            "fault_done",
            1,
            JobFixture.faultThen("DONE", "done").replace("rule fault_fixed", "rule fault_done")));
    f.awaitStatus("fault_fixed", 1, RuleStatus.State.ACTIVE);
    f.awaitStatus("fault_done", 1, RuleStatus.State.ACTIVE);

    f.event("e1", "d1", "FAULT", 0);
    f.event("e2", "d1", "FIXED", 1);
    f.event("e3", "d2", "FAULT", 2);
    f.barrier("d1", 10);
    f.barrier("d2", 20);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(sum("fault_fixed", "matches")).isEqualTo(1);
              assertThat(sum("fault_done", "matches")).isZero();
              long family = familySum("eventsEvaluated");
              assertThat(family).isGreaterThanOrEqualTo(3);
              // The family evaluated the events once, for both members.
              assertThat(sum("fault_fixed", "eventsEvaluated")).isEqualTo(family);
              assertThat(sum("fault_done", "eventsEvaluated")).isEqualTo(family);
              assertThat(sum("fault_done", "evaluationNanos")).isPositive();
            });
  }

  /** The job, reading the maintenance stream, with the canary rule the barriers need active. */
  private JobFixture startedWithCanary() throws Exception {
    fixture.publish(new RuleCommand.DeclareStream("maintenance", 1, JobFixture.STREAM));
    fixture.start("", UnaryOperator.identity());
    fixture.publish(JobFixture.upsert("canary", 1, JobFixture.CANARY));
    fixture.awaitStatus("canary", 1, RuleStatus.State.ACTIVE);
    return fixture;
  }

  /** A metric of the rule families, summed over families and subtasks. */
  private long familySum(String metric) {
    long total = 0;
    for (Metric m :
        REPORTER
            .findMetrics(fixture.jobId(), ".*\\.family\\.[^.]+\\." + Pattern.quote(metric))
            .values()) {
      total += ((Counter) m).getCount();
    }
    return total;
  }
}
