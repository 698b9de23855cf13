package io.vigil.testing.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

class KafkaBrokerTest {

  @Test
  void whatIsSentIsReadBackAndTheControlTopicIsOneCompactedPartition() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.builder().partitions(2).noAutoCreatedTopics().start()) {
      kafka.createTopics("vigil.rules", "vigil.events.payments");
      kafka.send("vigil.events.payments", "card-1", "{\"amount\":5}");
      kafka.send("vigil.events.payments", 1L, List.of("a", "b"));

      try (KafkaBroker.Reader reader = kafka.reader("vigil.events.payments");
          Admin admin = kafka.admin()) {
        List<String> values = reader.values();
        for (int polls = 0; values.size() < 3 && polls < 100; polls++) {
          values = reader.values();
        }
        assertThat(values).containsExactlyInAnyOrder("{\"amount\":5}", "a", "b");

        Map<String, TopicDescription> topics =
            admin
                .describeTopics(List.of("vigil.rules", "vigil.events.payments"))
                .allTopicNames()
                .get();
        assertThat(topics.get("vigil.rules").partitions()).hasSize(1);
        assertThat(topics.get("vigil.events.payments").partitions()).hasSize(2);
        ConfigResource rules = new ConfigResource(ConfigResource.Type.TOPIC, "vigil.rules");
        Config config = admin.describeConfigs(List.of(rules)).all().get().get(rules);
        assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
      }
    }
  }

  @Test
  void theSaslBrokerRefusesAClientWithoutItsSecuritySettings() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.withSaslAndAcls()) {
      kafka.createTopics("vigil.alerts");
      try (Admin admin = kafka.admin()) {
        assertThat(admin.listTopics().names().get()).contains("vigil.alerts");
      }
      try (Admin plain =
          Admin.create(
              Map.of(
                  AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                  kafka.servers(),
                  AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                  3000,
                  AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                  2000))) {
        assertThatThrownBy(() -> plain.listTopics().names().get(10, TimeUnit.SECONDS))
            .isInstanceOf(Exception.class);
      }
    }
  }
}
