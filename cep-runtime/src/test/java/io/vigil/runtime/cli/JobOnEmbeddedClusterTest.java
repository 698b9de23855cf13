package io.vigil.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.alert.AlertJson;
import io.vigil.runtime.control.ControlJson;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.job.JobConfig;
import io.vigil.testing.kafka.KafkaBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil job} as from the command line (no Flink context around it): on its own embedded
 * cluster, started while the control topic is read, it runs the rules the topic holds and writes
 * their alerts.
 */
class JobOnEmbeddedClusterTest {

  static final String STREAM =
      """
      stream maintenance
        time ts
        lateness 0s
        fields
          deviceId: string
          action: string
          ts: timestamp
      """;

  static final String RULE =
      """
      rule fault
        severity high
        from maintenance
        partition by deviceId
        pattern
          f: action == "FAULT"
        alert "fault on {deviceId}"
      """;

  @TempDir Path checkpoints;

  @Test
  void theJobRunsTheControlTopicsRulesOnItsEmbeddedCluster() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.builder().partitions(1).start();
        KafkaBroker.Reader alerts = kafka.reader("vigil.alerts")) {
      kafka.createTopics(JobConfig.defaults().topics().toArray(String[]::new));
      kafka.createTopics("vigil.events.maintenance");
      publish(kafka, new RuleCommand.DeclareStream("maintenance", 1, STREAM));
      publish(kafka, new RuleCommand.UpsertRule("fault", 1, RULE, Long.MIN_VALUE, false));
      StringWriter err = new StringWriter();
      CommandLine cli = VigilMain.commandLine();
      cli.setErr(new PrintWriter(err, true));
      Thread job =
          new Thread(
              () ->
                  cli.execute(
                      "job",
                      "--kafka.bootstrap-servers",
                      kafka.servers(),
                      "--checkpoint.dir",
                      checkpoints.toUri().toString(),
                      "--events.starting-offsets",
                      "earliest",
                      "--events.idleness",
                      "1s"),
              "vigil-job-command");
      job.start();
      try {
        long ts = Instant.now().toEpochMilli();
        kafka.send("vigil.events.maintenance", "d1", event("d1", "FAULT", ts));
        // A later event moves the stream's watermark past the fault.
        kafka.send("vigil.events.maintenance", "d2", event("d2", "OK", ts + 1_000));
        await().atMost(Duration.ofSeconds(90)).until(() -> !alerts.values().isEmpty());
        assertThat(alerts.values().stream().map(AlertJson::read).toList())
            .extracting(Alert::ruleId, Alert::key)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple("fault", java.util.Map.of("deviceId", "d1")));
        assertThat(err.toString())
            .contains("vigil job: 2 streams and rules read from the control topic");
        assertThat(job.isAlive()).as("the job runs until it is stopped").isTrue();
      } finally {
        job.interrupt();
        job.join(Duration.ofSeconds(30).toMillis());
      }
      assertThat(job.isAlive()).isFalse();
    }
  }

  @Test
  void theJobsClusterIsConfiguredAsTheJobAndRunsItsJobsHere() {
    Configuration flink = new Configuration();
    flink.set(RestOptions.BIND_PORT, "8081");

    Configuration cluster = EmbeddedCluster.jobConfiguration(flink);

    assertThat(cluster.get(RestOptions.BIND_PORT)).isEqualTo("8081");
    assertThat(cluster.get(DeploymentOptions.TARGET)).isEqualTo("vigil-embedded");
    assertThat(cluster.get(DeploymentOptions.ATTACHED)).isTrue();
    assertThat(EmbeddedCluster.jobConfiguration(new Configuration()).get(RestOptions.BIND_PORT))
        .as("a free port unless one is configured")
        .isEqualTo("0");
  }

  private static String event(String device, String action, long ts) {
    return "{\"deviceId\":\"%s\",\"action\":\"%s\",\"ts\":%d}".formatted(device, action, ts);
  }

  private static void publish(KafkaBroker kafka, RuleCommand command) {
    kafka.send("vigil.rules", command.topicKey(), ControlJson.write(command));
  }
}
