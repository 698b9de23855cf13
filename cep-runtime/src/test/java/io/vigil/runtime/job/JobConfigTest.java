package io.vigil.runtime.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.runtime.cli.VigilMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Job options: defaults, properties file, flags; wrong values fail with the option's name. */
class JobConfigTest {

  @TempDir Path dir;

  @Test
  void flagsOverrideTheFileWhichOverridesDefaults() throws Exception {
    Path file = dir.resolve("vigil.properties");
    Files.writeString(file, "parallelism=3\ncheckpoint.interval=5s\n");
    JobConfig config = JobConfig.load(file, Map.of("parallelism", "4"));
    assertThat(config.get(JobConfig.PARALLELISM)).isEqualTo(4);
    assertThat(config.get(JobConfig.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.get(JobConfig.RULES_TOPIC)).isEqualTo("vigil.rules");
  }

  @Test
  void theJobsOwnTopicsAreTheConfiguredOnes() {
    assertThat(JobConfig.defaults().topics())
        .containsExactly(
            "vigil.rules", "vigil.rule-status", "vigil.alerts", "vigil.late", "vigil.dead-letter");
    assertThat(JobConfig.load(null, Map.of("topics.alerts", "fraud.alerts")).topics())
        .contains("fraud.alerts")
        .doesNotContain("vigil.alerts")
        .hasSize(5);
  }

  @Test
  void alertsAreDeliveredAtOnceByDefaultAndTheLatencySettingsReachFlink() {
    JobConfig defaults = JobConfig.defaults();
    assertThat(defaults.get(JobConfig.ALERT_DELIVERY))
        .isEqualTo(JobConfig.AlertDelivery.LOW_LATENCY);
    assertThat(
            JobConfig.load(null, Map.of("alerts.delivery", "exactly-once"))
                .get(JobConfig.ALERT_DELIVERY))
        .isEqualTo(JobConfig.AlertDelivery.EXACTLY_ONCE);
    assertThatThrownBy(() -> JobConfig.load(null, Map.of("alerts.delivery", "at-most-once")))
        .hasMessageContaining("alerts.delivery")
        .hasMessageContaining("low-latency or exactly-once");
    assertThatThrownBy(() -> JobConfig.load(null, Map.of("events.watermark-interval", "0ms")))
        .hasMessageContaining("events.watermark-interval");
    var flink =
        VigilJob.flinkConfiguration(
            defaults.with(
                Map.of("events.watermark-interval", "50ms", "network.buffer-timeout", "5ms")));
    assertThat(flink.get(org.apache.flink.configuration.PipelineOptions.AUTO_WATERMARK_INTERVAL))
        .isEqualTo(Duration.ofMillis(50));
    assertThat(flink.get(org.apache.flink.configuration.ExecutionOptions.BUFFER_TIMEOUT))
        .isEqualTo(Duration.ofMillis(5));
  }

  @Test
  void aWrongValueOrAnUnknownOptionFailsWithTheOptionsName() {
    assertThatThrownBy(() -> JobConfig.load(null, Map.of("parallelism", "0")))
        .hasMessageContaining("option parallelism='0'")
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> JobConfig.load(null, Map.of("state.backend", "memory")))
        .hasMessageContaining("state.backend")
        .hasMessageContaining("hashmap or rocksdb");
    assertThatThrownBy(() -> JobConfig.load(null, Map.of("paralelism", "2")))
        .hasMessageContaining("unknown option 'paralelism'");
  }

  @Test
  void theJobCommandRejectsABadFlagBeforeStartingAnything() {
    StringWriter err = new StringWriter();
    CommandLine cli = VigilMain.commandLine();
    cli.setErr(new PrintWriter(err));
    int status = cli.execute("job", "--checkpoint.interval", "soon");
    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).contains("checkpoint.interval");
  }
}
