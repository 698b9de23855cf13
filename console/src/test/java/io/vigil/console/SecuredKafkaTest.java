package io.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.console.rules.deploy.Deployments;
import io.vigil.console.rules.testing.TopicEvents;
import io.vigil.console.streams.activity.StreamActivity;
import io.vigil.runtime.deploy.Change;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The console on a broker that only takes SASL (PLAIN) clients, configured with {@code
 * vigil.console.kafka.properties.*}: the deploy producer and status reader, the stream-activity
 * admin client and the topic reader of test runs all get through.
 */
@SpringBootTest
@ActiveProfiles("test")
@DirtiesContext
class SecuredKafkaTest {

  static final String PREFIX = "vigil.console.kafka.properties.";

  @DynamicPropertySource
  static void securedBroker(DynamicPropertyRegistry registry) {
    registry.add("spring.data.redis.host", () -> "127.0.0.1");
    registry.add("spring.data.redis.port", () -> RealRedis.get().port);
    registry.add("vigil.console.kafka.bootstrap-servers", () -> SecuredKafka.get().servers());
    SecuredKafka.get()
        .securitySettings()
        .forEach((key, value) -> registry.add(PREFIX + key, () -> value));
  }

  @BeforeAll
  static void topics() {
    SecuredKafka.get()
        .createTopics(
            "vigil.rules",
            "vigil.rule-versions",
            "vigil.rule-status",
            "vigil.dead-letter",
            "vigil.events.payments");
  }

  @Autowired Deployments deployments;
  @Autowired StreamActivity activity;
  @Autowired TopicEvents topicEvents;

  @Test
  void theBrokerRefusesAClientWithoutTheSecuritySettings() {
    try (Admin plain =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SecuredKafka.get().servers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                3000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                2000))) {
      assertThatThrownBy(() -> plain.listTopics().names().get(10, TimeUnit.SECONDS))
          .isInstanceOf(Exception.class);
    }
  }

  @Test
  void aDeployIsPublishedAndReadBackThroughTheSecuredBroker() {
    String source = "stream secured_s\n  time ts\n  fields\n    id: string\n    ts: timestamp\n";

    var published = deployments.publish(List.of(new Change.DeclareStream("secured_s", source)));

    assertThat(published).hasSize(1);
    var read = deployments.refresh();
    assertThat(read.problem()).isEmpty();
    assertThat(read.states()).containsKey("stream:secured_s");
  }

  @Test
  void streamRatesAndTestRunsOnATopicReadTheSecuredBroker() {
    activity.sample();
    SecuredKafka.get()
        .send(
            "vigil.events.payments",
            System.currentTimeMillis(),
            List.of("{\"cardId\":\"s-1\"}", "{\"cardId\":\"s-2\"}", "{\"cardId\":\"s-3\"}"));

    var sampled = activity.sample();

    assertThat(sampled.problem()).isEmpty();
    assertThat(sampled.rate("payments").orElseThrow().events()).isEqualTo(3);
    TopicEvents.Read read = topicEvents.read("payments", 10);
    assertThat(read.events()).isEqualTo(3);
    assertThat(read.lines()).contains("s-1", "s-2", "s-3");
  }
}
