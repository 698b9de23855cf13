package io.vigil.runtime.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code alerts.delivery} switched on a running job: stopped with a savepoint in one mode and
 * restarted from it in the other (and back). Every match raises its alert exactly once after
 * deduplication by alert id, including a match that straddles the switch.
 */
class DeliveryModeSwitchEndToEndTest {

  @RegisterExtension static final MiniClusterExtension FLINK = JobFixture.miniCluster();

  @TempDir Path checkpoints;
  @TempDir Path savepoints;

  @Test
  void noAlertIsLostOrDuplicatedWhenTheDeliveryModeChangesThroughASavepoint() throws Exception {
    try (JobFixture f = JobFixture.onOwnBroker(checkpoints)) {
      f.publish(new RuleCommand.DeclareStream("maintenance", 1, JobFixture.STREAM));
      f.publish(JobFixture.upsert("canary", 1, JobFixture.CANARY));
      f.publish(JobFixture.upsert("fault_fixed", 1, JobFixture.faultThen("FIXED", "fixed")));
      List<String> expected = new ArrayList<>();

      f.start("", UnaryOperator.identity(), Map.of("alerts.delivery", "low-latency"));
      f.awaitStatus("fault_fixed", 1, RuleStatus.State.ACTIVE);
      int t = pairs(f, "a", 0, expected);
      // Opened before the switch, completed after it.
      f.event("straddle-f", "straddle", "FAULT", t);
      f.barrier("a0", t + 1);
      String first = f.stopWithSavepoint(savepoints);

      f.start(first, UnaryOperator.identity(), Map.of("alerts.delivery", "exactly-once"));
      f.event("straddle-x", "straddle", "FIXED", t + 10);
      expected.add("fixed straddle");
      t = pairs(f, "b", t + 20, expected);
      f.barrier("b0", t);
      String second = f.stopWithSavepoint(savepoints);

      f.start(second, UnaryOperator.identity(), Map.of("alerts.delivery", "low-latency"));
      t = pairs(f, "c", t + 20, expected);
      f.barrier("c0", t);

      List<Alert> written = f.alerts("fault_fixed");
      Map<String, Alert> byId = new LinkedHashMap<>();
      written.forEach(a -> byId.putIfAbsent(a.alertId(), a));
      assertThat(byId.values())
          .extracting(Alert::message)
          .containsExactlyInAnyOrderElementsOf(expected);
      // The mode changes went through savepoints: nothing was replayed, not even a duplicate.
      assertThat(written).hasSameSizeAs(byId.values());
    }
  }

  /** Five FAULT/FIXED pairs on devices {@code <prefix>1..5} from {@code t}; returns the next t. */
  private static int pairs(JobFixture f, String prefix, int t, List<String> expected) {
    for (int i = 1; i <= 5; i++) {
      String device = prefix + i;
      f.event(device + "-f", device, "FAULT", t++);
      f.event(device + "-x", device, "FIXED", t++);
      expected.add("fixed " + device);
    }
    return t;
  }
}
