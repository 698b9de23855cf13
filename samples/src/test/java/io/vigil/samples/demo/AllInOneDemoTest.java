package io.vigil.samples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command, end to end: real Kafka, Redis and SMTP, the Vigil job on a Flink
 * MiniCluster, the packaged alert service, and the planted fraud and IoT incidents coming out as
 * alerts, signed webhooks and an email digest.
 */
class AllInOneDemoTest {

  @Test
  void thePlantedIncidentsBecomeAlertsWebhooksAndMail(@TempDir Path dir) throws Exception {
    DemoMain demo = new DemoMain();
    demo.workDir = dir;
    demo.rules = List.of(Path.of("."));
    demo.alertServiceJar = Path.of("..", "alert-service", "target", "alert-service.jar");
    demo.speed = 60;
    demo.duration = Duration.ofSeconds(80);
    demo.httpPort = 0;

    DemoMain.Summary summary = demo.run();

    assertThat(summary.alertsByRule())
        .containsKeys(
            "card_testing",
            "account_takeover",
            "impossible_travel",
            "split_purchases",
            "overheating_unattended",
            "vibration_burst",
            "flapping_sensor");
    assertThat(summary.webhooksVerified()).isPositive();
    assertThat(summary.webhooksRejected()).isZero();
    assertThat(summary.emails()).isPositive();
  }
}
