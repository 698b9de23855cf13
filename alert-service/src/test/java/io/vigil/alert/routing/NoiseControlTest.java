package io.vigil.alert.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.alert.Alerts;
import io.vigil.alert.ServiceTestSupport;
import io.vigil.testing.webhook.WebhookReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class NoiseControlTest extends ServiceTestSupport {
  private static final String SECRET = "whsec-0123456789abcdef";

  @Test
  void theThrottleLetsOneNotificationPerRuleAndKeyThroughAndCountsTheRest() throws Exception {
    String rule = Alerts.uniqueRule("throttled");
    try (WebhookReceiver receiver = new WebhookReceiver(SECRET, n -> 200)) {
      webhook(receiver.url(), SECRET, "{\"ruleIds\":[\"" + rule + "\"]}", "\"throttle\":\"PT2S\"");
      for (int i = 0; i < 4; i++) {
        publish(
            "k",
            Alerts.json(Alerts.newId(), rule, "high", List.of(), null, Map.of("cardId", "c-1")));
      }
      String otherKey = Alerts.newId();
      publish("k", Alerts.json(otherKey, rule, "high", List.of(), null, Map.of("cardId", "c-2")));

      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted().size() == 2);
      assertThat(receiver.accepted())
          .extracting(r -> tree(r.body()).get("suppressed").asInt())
          .containsOnly(0);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> redis.opsForStream().size("vigil:rule:" + rule + ":alerts") == 5);

      // After the window, the next notification for the key carries the count it swallowed.
      await().pollDelay(Duration.ofMillis(2100)).atMost(Duration.ofSeconds(5)).until(() -> true);
      publish(
          "k", Alerts.json(Alerts.newId(), rule, "high", List.of(), null, Map.of("cardId", "c-1")));
      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted().size() == 3);
      assertThat(tree(receiver.accepted().get(2).body()).get("suppressed").asInt()).isEqualTo(3);
    }
  }

  @Test
  void alertsOfOneRuleWithinTheGroupWindowBecomeOneNotification() throws Exception {
    String rule = Alerts.uniqueRule("grouped");
    try (WebhookReceiver receiver = new WebhookReceiver(SECRET, n -> 200)) {
      webhook(
          receiver.url(),
          SECRET,
          "{\"ruleIds\":[\"" + rule + "\"]}",
          "\"grouping\":{\"by\":\"rule\",\"window\":\"PT1S\"}");
      for (int i = 0; i < 3; i++) {
        publish(
            "k",
            Alerts.json(Alerts.newId(), rule, "high", List.of(), null, Map.of("cardId", "c-" + i)));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted().size() == 1);
      JsonNode payload = tree(receiver.accepted().get(0).body());
      assertThat(payload.get("alerts")).hasSize(3);
      assertThat(receiver.accepted().get(0).idempotencyKey())
          .isEqualTo(payload.get("deliveryId").asString());
    }
  }

  @Test
  void aSilenceMutesNotificationsButNotStorageUntilItEnds() throws Exception {
    String rule = Alerts.uniqueRule("silenced");
    try (WebhookReceiver receiver = new WebhookReceiver(SECRET, n -> 200)) {
      webhook(receiver.url(), SECRET, "{\"ruleIds\":[\"" + rule + "\"]}", "");
      Response silence =
          api(
              "POST",
              "/api/silences",
              """
              {"match":{"owners":["team-x"],"ruleIds":["%s"]},"endsAt":"%s","comment":"maintenance"}
              """
                  .formatted(rule, Instant.now().plusSeconds(3600)));
      assertThat(silence.status()).isEqualTo(201);

      String muted = Alerts.newId();
      String otherOwner = Alerts.newId();
      publish("k", Alerts.json(muted, rule, "high", List.of(), "team-x", Map.of("cardId", "c-1")));
      publish(
          "k", Alerts.json(otherOwner, rule, "high", List.of(), "team-z", Map.of("cardId", "c-1")));

      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted().size() == 1);
      assertThat(receiver.accepted().get(0).idempotencyKey()).isEqualTo(otherOwner);
      assertThat(redis.hasKey("vigil:alert:" + muted)).isTrue();

      String silenceId = tree(silence.body()).get("id").asString();
      assertThat(api("DELETE", "/api/silences/" + silenceId, null).status()).isEqualTo(204);
      String afterSilence = Alerts.newId();
      publish(
          "k",
          Alerts.json(afterSilence, rule, "high", List.of(), "team-x", Map.of("cardId", "c-1")));
      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted().size() == 2);
      assertThat(receiver.accepted())
          .extracting(WebhookReceiver.Received::idempotencyKey)
          .doesNotContain(muted);
    }
  }

  @Test
  void aSilenceWithoutMatchersIsRefused() {
    Response refused =
        api(
            "POST",
            "/api/silences",
            "{\"match\":{},\"endsAt\":\"" + Instant.now().plusSeconds(60) + "\"}");
    assertThat(refused.status()).isEqualTo(400);
  }
}
