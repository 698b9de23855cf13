package io.vigil.alert.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.alert.ServiceTestSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Only the health probes answer without the API token, and only with their status; details, metrics
 * and Prometheus need the token.
 */
class ActuatorAccessTest extends ServiceTestSupport {

  @Test
  void healthAnswersAnyoneWithItsStatusOnly() {
    Response anonymous = call("GET", "/actuator/health", null, null);
    assertThat(anonymous.status()).isEqualTo(200);
    JsonNode health = tree(anonymous.body());
    assertThat(health.get("status").asString()).isEqualTo("UP");
    assertThat(health.has("components")).isFalse();
    assertThat(anonymous.body()).doesNotContain("redis", "kafka", "clusterId");

    Response wrongToken = call("GET", "/actuator/health", null, "not-the-token-0123456789");
    assertThat(wrongToken.status()).isEqualTo(200);
    assertThat(tree(wrongToken.body()).has("components")).isFalse();
  }

  @Test
  void healthDetailsNeedTheToken() {
    Response authorized = api("GET", "/actuator/health", null);
    assertThat(authorized.status()).isEqualTo(200);
    JsonNode components = tree(authorized.body()).get("components");
    assertThat(components.get("redis").get("status").asString()).isEqualTo("UP");
    assertThat(components.get("kafka").get("details").get("nodes").asInt()).isEqualTo(1);
  }

  @Test
  void livenessLeavesOutRedisKafkaAndMailWhileReadinessWatchesRedisAndKafka() {
    Response liveness = call("GET", "/actuator/health/liveness", null, null);
    assertThat(liveness.status()).isEqualTo(200);
    assertThat(tree(liveness.body()).get("status").asString()).isEqualTo("UP");
    Response readiness = call("GET", "/actuator/health/readiness", null, null);
    assertThat(readiness.status()).isEqualTo(200);

    JsonNode live = tree(api("GET", "/actuator/health/liveness", null).body()).get("components");
    assertThat(live.propertyNames()).containsExactly("livenessState");
    JsonNode ready = tree(api("GET", "/actuator/health/readiness", null).body()).get("components");
    assertThat(ready.propertyNames()).containsExactlyInAnyOrder("readinessState", "redis", "kafka");
  }

  @Test
  void metricsPrometheusAndTheEndpointListNeedTheToken() {
    for (String path :
        new String[] {"/actuator/prometheus", "/actuator/metrics", "/actuator", "/actuator/info"}) {
      Response anonymous = call("GET", path, null, null);
      assertThat(anonymous.status()).as(path).isEqualTo(401);
      assertThat(call("GET", path, null, "not-the-token-0123456789").status())
          .as(path)
          .isEqualTo(401);
    }
    Response prometheus = api("GET", "/actuator/prometheus", null);
    assertThat(prometheus.status()).isEqualTo(200);
    assertThat(prometheus.body()).contains("vigil_deliveries_due");
  }
}
