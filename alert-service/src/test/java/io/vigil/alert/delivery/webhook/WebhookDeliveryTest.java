package io.vigil.alert.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.alert.Alerts;
import io.vigil.alert.ServiceTestSupport;
import io.vigil.testing.webhook.WebhookReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class WebhookDeliveryTest extends ServiceTestSupport {
  private static final String SECRET = "whsec-0123456789abcdef";

  @Test
  void eachReceiverGetsOnlyTheAlertsItsFiltersSelectSignedWithItsSecret() throws Exception {
    String rule = Alerts.uniqueRule("route");
    try (WebhookReceiver byRule = new WebhookReceiver(SECRET, n -> 200);
        WebhookReceiver byOwnerAndSeverity = new WebhookReceiver(SECRET, n -> 200);
        WebhookReceiver byKey = new WebhookReceiver(SECRET, n -> 200)) {
      webhook(byRule.url(), SECRET, "{\"ruleIds\":[\"" + rule + "\"]}", "");
      webhook(
          byOwnerAndSeverity.url(),
          SECRET,
          "{\"ruleIds\":[\"" + rule + "\"],\"owners\":[\"team-y\"]}",
          "\"minSeverity\":\"critical\"");
      webhook(
          byKey.url(),
          SECRET,
          "{\"ruleIds\":[\"" + rule + "\"],\"key\":{\"cardId\":\"c-7\"},\"tags\":[\"fraud\"]}",
          "");

      String low = Alerts.newId();
      String critical = Alerts.newId();
      String card7 = Alerts.newId();
      publish(
          "k", Alerts.json(low, rule, "low", List.of("fraud"), "team-y", Map.of("cardId", "c-1")));
      publish(
          "k",
          Alerts.json(
              critical, rule, "critical", List.of("ops"), "team-y", Map.of("cardId", "c-1")));
      publish(
          "k", Alerts.json(card7, rule, "medium", List.of("fraud"), null, Map.of("cardId", "c-7")));

      await().atMost(Duration.ofSeconds(30)).until(() -> byRule.accepted().size() == 3);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> byOwnerAndSeverity.accepted().size() == 1 && byKey.accepted().size() == 1);
      assertThat(byRule.received()).allMatch(WebhookReceiver.Received::signatureValid);
      assertThat(byRule.accepted())
          .extracting(WebhookReceiver.Received::idempotencyKey)
          .containsExactlyInAnyOrder(low, critical, card7);
      assertThat(byOwnerAndSeverity.accepted().get(0).idempotencyKey()).isEqualTo(critical);
      assertThat(byKey.accepted().get(0).idempotencyKey()).isEqualTo(card7);

      JsonNode payload = tree(byKey.accepted().get(0).body());
      assertThat(payload.get("version").asInt()).isEqualTo(1);
      assertThat(payload.get("attempt").asInt()).isEqualTo(1);
      assertThat(payload.get("alerts").get(0).get("alertId").asString()).isEqualTo(card7);
      assertThat(payload.get("alerts").get(0).get("key").get("cardId").asString()).isEqualTo("c-7");
    }
  }

  @Test
  void aRequestWithTheWrongSecretFailsVerification() throws Exception {
    String rule = Alerts.uniqueRule("wrong_secret");
    try (WebhookReceiver receiver = new WebhookReceiver("another-secret-entirely", n -> 200)) {
      webhook(receiver.url(), SECRET, "{\"ruleIds\":[\"" + rule + "\"]}", "");
      publish("k", Alerts.simple(Alerts.newId(), rule));
      await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.received().isEmpty());
      assertThat(receiver.received().get(0).signatureValid()).isFalse();
    }
  }

  @Test
  void aReceiverThatFailsFiveTimesThenRecoversGetsTheAlertDeliveredOnce() throws Exception {
    String rule = Alerts.uniqueRule("flaky");
    try (WebhookReceiver receiver =
        new WebhookReceiver(SECRET, n -> n <= 3 ? 503 : n <= 5 ? 500 : 200)) {
      webhook(receiver.url(), SECRET, "{\"ruleIds\":[\"" + rule + "\"]}", "");
      String id = Alerts.newId();
      publish("k", Alerts.simple(id, rule));

      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted().size() == 1);
      Thread.sleep(500); // any further (duplicate) attempt would show up within the poll interval
      assertThat(receiver.received()).hasSize(6);
      assertThat(receiver.received())
          .extracting(WebhookReceiver.Received::attempt)
          .containsExactly(1, 2, 3, 4, 5, 6);
      assertThat(receiver.received())
          .extracting(WebhookReceiver.Received::idempotencyKey)
          .containsOnly(id);
    }
  }

  @Test
  void aReceiverDownPastTheRetryHorizonGetsTheDeliveryParkedThenReplayed() throws Exception {
    String rule = Alerts.uniqueRule("dead");
    try (WebhookReceiver receiver = new WebhookReceiver(SECRET, n -> 503)) {
      String subscription = webhook(receiver.url(), SECRET, "{\"ruleIds\":[\"" + rule + "\"]}", "");
      String id = Alerts.newId();
      publish("k", Alerts.simple(id, rule));

      await().atMost(Duration.ofSeconds(30)).until(() -> parkedFor(subscription) != null);
      JsonNode parked = parkedFor(subscription);
      assertThat(parked.get("attempts")).hasSize(8);
      assertThat(parked.get("attempts").get(7).get("status").asInt()).isEqualTo(503);
      assertThat(parked.get("attempts").get(7).get("error").asString()).isEqualTo("HTTP 503");
      assertThat(receiver.received()).hasSize(8);

      receiver.answer(n -> 200);
      Response replay =
          api("POST", "/api/deliveries/" + parked.get("id").asString() + "/replay", null);
      assertThat(replay.status()).isEqualTo(202);
      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted().size() == 1);
      assertThat(receiver.accepted().get(0).idempotencyKey()).isEqualTo(id);
      assertThat(parkedFor(subscription)).isNull();
    }
  }

  @Test
  void aClientErrorIsNotRetriedButParkedAtOnce() throws Exception {
    String rule = Alerts.uniqueRule("gone");
    try (WebhookReceiver receiver = new WebhookReceiver(SECRET, n -> 410)) {
      String subscription = webhook(receiver.url(), SECRET, "{\"ruleIds\":[\"" + rule + "\"]}", "");
      publish("k", Alerts.simple(Alerts.newId(), rule));
      await().atMost(Duration.ofSeconds(30)).until(() -> parkedFor(subscription) != null);
      assertThat(parkedFor(subscription).get("attempts")).hasSize(1);
      assertThat(receiver.received()).hasSize(1);
    }
  }

  @Test
  void retryAfterIsHonoured() throws Exception {
    String rule = Alerts.uniqueRule("busy");
    try (WebhookReceiver receiver = new WebhookReceiver(SECRET, n -> n == 1 ? 429 : 200)) {
      receiver.headers(Map.of("Retry-After", "2"));
      webhook(receiver.url(), SECRET, "{\"ruleIds\":[\"" + rule + "\"]}", "");
      publish("k", Alerts.simple(Alerts.newId(), rule));
      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted().size() == 1);
      List<WebhookReceiver.Received> all = receiver.received();
      assertThat(all).hasSize(2);
      // The backoff alone would retry after at most 50 ms; the receiver asked for 2 s.
      assertThat(Duration.between(all.get(0).at(), all.get(1).at()))
          .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }
  }

  private JsonNode parkedFor(String subscriptionId) {
    for (JsonNode d : tree(api("GET", "/api/deliveries/parked?limit=1000", null).body())) {
      if (d.get("subscriptionId").asString().equals(subscriptionId)) {
        return d;
      }
    }
    return null;
  }
}
