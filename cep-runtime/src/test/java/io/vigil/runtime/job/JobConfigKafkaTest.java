package io.vigil.runtime.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kafka client settings reach every client; the alert size stays below the producer's limit. */
class JobConfigKafkaTest {

  @TempDir Path dir;

  @Test
  void clientSettingsComeFromThePropertiesFileAndPrefixedOptionsWhichWin() throws Exception {
    Path client = dir.resolve("client.properties");
    Files.writeString(
        client,
        "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
            + "ssl.truststore.location=/etc/vigil/truststore.p12\n");
    JobConfig config =
        JobConfig.load(
            null,
            Map.of(
                "kafka.properties-file", client.toString(),
                "kafka.properties.sasl.mechanism", "PLAIN",
                "kafka.properties.sasl.jaas.config", "x required;"));
    Properties properties = config.kafkaProperties();
    assertThat(properties)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "PLAIN")
        .containsEntry("ssl.truststore.location", "/etc/vigil/truststore.p12")
        .containsEntry("sasl.jaas.config", "x required;")
        .hasSize(4);
    // Reloading (with(...)) keeps the explicit setting over the file's.
    assertThat(config.with(Map.of("parallelism", "2")).kafkaProperties())
        .containsEntry("sasl.mechanism", "PLAIN");
    assertThat(JobConfig.defaults().kafkaProperties()).isEmpty();
  }

  @Test
  void anAlertMaximumAtOrAboveTheProducersMaxRequestSizeIsRefused() {
    assertThatThrownBy(() -> JobConfig.load(null, Map.of("alerts.max-bytes", "2000000")))
        .hasMessageContaining("alerts.max-bytes=2000000")
        .hasMessageContaining("max.request.size (1048576)");
    JobConfig raised =
        JobConfig.load(
            null,
            Map.of(
                "alerts.max-bytes", "2000000",
                "kafka.properties.max.request.size", "4194304"));
    assertThat(raised.get(JobConfig.ALERT_MAX_BYTES)).isEqualTo(2_000_000);
  }

  @Test
  void theGuardRailOptionsHaveTheirDocumentedDefaults() {
    JobConfig config = JobConfig.defaults();
    assertThat(config.get(JobConfig.MAX_LIVE_RULES)).isEqualTo(10_000);
    assertThat(config.get(JobConfig.MAX_VERSION_JUMP)).isEqualTo(9_007_199_254_740_991L);
    assertThat(config.get(JobConfig.ALERT_MAX_EVENTS_PER_STAGE)).isEqualTo(100);
    assertThat(VigilJob.matcherSettings(config).alerts().maxBytes()).isEqualTo(900_000);
    assertThatThrownBy(() -> JobConfig.load(null, Map.of("kafka.propertiesx", "1")))
        .hasMessageContaining("unknown option 'kafka.propertiesx'");
  }
}
