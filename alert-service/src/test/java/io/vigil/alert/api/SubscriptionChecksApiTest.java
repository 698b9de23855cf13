package io.vigil.alert.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.alert.Alerts;
import io.vigil.alert.ServiceTestSupport;
import io.vigil.testing.webhook.WebhookReceiver;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SubscriptionChecksApiTest extends ServiceTestSupport {
  private static final String SECRET = "checks-secret-0123456789";

  @Test
  void aTestAlertReachesTheReceiverSignedAndItsStatusAndLatencyComeBack() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver(SECRET, n -> 200)) {
      String id = webhook(receiver.url(), SECRET, "{\"ruleIds\":[\"nothing_real\"]}", "");

      Response sent = api("POST", "/api/subscriptions/" + id + "/test", null);

      assertThat(sent.status()).isEqualTo(200);
      JsonNode body = tree(sent.body());
      assertThat(body.get("result").asString()).isEqualTo("delivered");
      assertThat(body.get("status").asInt()).isEqualTo(200);
      assertThat(body.get("latencyMillis").asLong()).isGreaterThanOrEqualTo(0);
      assertThat(receiver.received()).hasSize(1);
      assertThat(receiver.received().get(0).signatureValid()).isTrue();
      assertThat(receiver.received().get(0).body()).contains("vigil_test_alert");
    }
  }

  @Test
  void aReceiverThatRefusesTheTestAlertIsReportedWithItsStatus() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver(SECRET, n -> 410)) {
      String id = webhook(receiver.url(), SECRET, "{\"ruleIds\":[\"nothing_real\"]}", "");

      JsonNode body = tree(api("POST", "/api/subscriptions/" + id + "/test", null).body());

      assertThat(body.get("result").asString()).isEqualTo("failed");
      assertThat(body.get("status").asInt()).isEqualTo(410);
      assertThat(body.get("error").asString()).contains("410");
    }
  }

  @Test
  void testSendsAreListedInTheDeliveryHistoryMarkedAsTestsAndAreNeverRetriedNorParked()
      throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver(SECRET, n -> n == 1 ? 200 : 503)) {
      String id = webhook(receiver.url(), SECRET, "{\"ruleIds\":[\"nothing_real\"]}", "");

      api("POST", "/api/subscriptions/" + id + "/test", null);
      api("POST", "/api/subscriptions/" + id + "/test", null);

      JsonNode history = tree(api("GET", "/api/subscriptions/" + id + "/deliveries", null).body());
      assertThat(history).hasSize(2);
      // Newest first; two sends may share a millisecond, so each is found by its status.
      boolean failedFirst = history.get(0).get("status").asString().equals("failed");
      JsonNode failed = history.get(failedFirst ? 0 : 1);
      JsonNode delivered = history.get(failedFirst ? 1 : 0);
      assertThat(failed.get("test").asBoolean()).isTrue();
      assertThat(failed.get("status").asString()).isEqualTo("failed");
      assertThat(failed.get("attempts")).hasSize(1);
      assertThat(failed.get("attempts").get(0).get("status").asInt()).isEqualTo(503);
      assertThat(delivered.get("test").asBoolean()).isTrue();
      assertThat(delivered.get("status").asString()).isEqualTo("delivered");
      assertThat(delivered.get("idempotencyKey").asString()).startsWith("test-");
      assertThat(delivered.get("attempts").get(0).get("status").asInt()).isEqualTo(200);

      String failedId = failed.get("id").asString();
      assertThat(api("POST", "/api/deliveries/" + failedId + "/replay", null).status())
          .isEqualTo(404);
      JsonNode parked =
          tree(api("GET", "/api/deliveries/parked?subscriptionId=" + id, null).body());
      assertThat(parked).isEmpty();
      assertThat(receiver.received()).hasSize(2);
    }
  }

  @Test
  void aRealDeliveryIsNotMarkedAsATest() throws Exception {
    String rule = Alerts.uniqueRule("not_a_test");
    try (WebhookReceiver receiver = new WebhookReceiver(SECRET, n -> 200)) {
      String id = webhook(receiver.url(), SECRET, "{\"ruleIds\":[\"" + rule + "\"]}", "");
      publish("k", Alerts.simple(Alerts.newId(), rule));

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                JsonNode history =
                    tree(api("GET", "/api/subscriptions/" + id + "/deliveries", null).body());
                assertThat(history).hasSize(1);
                assertThat(history.get(0).get("status").asString()).isEqualTo("delivered");
                assertThat(history.get(0).get("test").asBoolean()).isFalse();
              });
    }
  }

  @Test
  void aTestOfAnUnknownSubscriptionIsNotFound() {
    assertThat(api("POST", "/api/subscriptions/no-such-one/test", null).status()).isEqualTo(404);
    assertThat(api("GET", "/api/subscriptions/no-such-one/deliveries", null).status())
        .isEqualTo(404);
    assertThat(call("POST", "/api/subscriptions/x/test", null, null).status()).isEqualTo(401);
  }

  @Test
  void theDeliveryHistoryListsASubscriptionsDeliveriesWithTheirAttempts() throws Exception {
    String rule = Alerts.uniqueRule("history");
    try (WebhookReceiver receiver = new WebhookReceiver(SECRET, n -> 200)) {
      String id = webhook(receiver.url(), SECRET, "{\"ruleIds\":[\"" + rule + "\"]}", "");
      String alertId = Alerts.newId();
      publish("k", Alerts.simple(alertId, rule));

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                JsonNode history =
                    tree(api("GET", "/api/subscriptions/" + id + "/deliveries", null).body());
                assertThat(history).hasSize(1);
                assertThat(history.get(0).get("status").asString()).isEqualTo("delivered");
                assertThat(history.get(0).get("idempotencyKey").asString()).isEqualTo(alertId);
                assertThat(history.get(0).get("attempts").get(0).get("status").asInt())
                    .isEqualTo(200);
              });
    }
  }
}
