package io.vigil.runtime.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import io.vigil.runtime.source.EventRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task failure injected mid-stream, on the RocksDB state backend: after Flink restarts the job
 * from its last checkpoint, the alerts topic (read_committed) holds every expected alert exactly
 * once.
 */
class ExactlyOnceAfterFailureTest {

  @RegisterExtension static final MiniClusterExtension FLINK = JobFixture.miniCluster();

  @TempDir Path checkpoints;

  /** Fails the first attempt of its task when it meets a BOOM event. */
  static final class FailOnce extends RichMapFunction<EventRecord, EventRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public EventRecord map(EventRecord event) {
      if (event.text().contains("BOOM")
          && getRuntimeContext().getTaskInfo().getAttemptNumber() == 0) {
        throw new IllegalStateException("injected failure");
      }
      return event;
    }
  }

  @Test
  void everyAlertExactlyOnceAfterATaskFailure(@InjectMiniCluster MiniCluster cluster)
      throws Exception {
    // RocksDB here (the hot-reload test runs on the heap backend): both backends restore.
    try (JobFixture f = JobFixture.onOwnBroker(checkpoints, Map.of("state.backend", "rocksdb"))) {
      f.publish(new RuleCommand.DeclareStream("maintenance", 1, JobFixture.STREAM));
      f.publish(new RuleCommand.UpsertRule("canary", 1, JobFixture.CANARY, Long.MIN_VALUE, false));
      f.publish(
          new RuleCommand.UpsertRule(
              "fault_fixed", 1, JobFixture.faultThen("FIXED", "fixed"), Long.MIN_VALUE, false));
      f.start("", events -> events.map(new FailOnce()).name("fault-injection"));
      f.awaitStatus("fault_fixed", 1, RuleStatus.State.ACTIVE);

      for (int i = 0; i < 10; i++) {
        f.event("f" + i, "d" + i, "FAULT", 10 * i);
        f.event("x" + i, "d" + i, "FIXED", 10 * i + 1);
      }
      f.barrier("d9", 100);
      f.event("boom", "d99", "BOOM", 105);
      for (int i = 10; i < 20; i++) {
        f.event("f" + i, "d" + i, "FAULT", 10 * i);
        f.event("x" + i, "d" + i, "FIXED", 10 * i + 1);
      }
      f.barrier("d19", 200);

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(f.alerts("fault_fixed")).hasSize(20));
      Map<String, Long> perId =
          f.alerts().stream().collect(Collectors.groupingBy(Alert::alertId, Collectors.counting()));
      assertThat(perId.values()).allMatch(n -> n == 1);
      assertThat(f.alerts("fault_fixed"))
          .extracting(a -> a.key().get("deviceId"))
          .doesNotHaveDuplicates();
      assertThat(cluster.getExecutionGraph(f.jobId()).get().getStateBackendName())
          .get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .containsIgnoringCase("rocksdb");
      // The failure did happen: the job went through RESTARTING.
      assertThat(
              cluster.getExecutionGraph(f.jobId()).get().getStatusTimestamp(JobStatus.RESTARTING))
          .isPositive();
    }
  }
}
