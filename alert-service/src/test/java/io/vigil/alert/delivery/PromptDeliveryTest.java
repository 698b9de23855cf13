package io.vigil.alert.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.alert.Alerts;
import io.vigil.alert.ServiceTestSupport;
import io.vigil.testing.webhook.WebhookReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * An ingested alert's deliveries are claimed as soon as they are scheduled, not at the worker's
 * next poll tick: with a poll interval of an hour, only that wake-up can deliver the webhook. The
 * context has its own topic and Redis database, so no other test context's worker (polling every 20
 * ms) can claim the delivery instead.
 */
@TestPropertySource(
    properties = {
      "vigil.delivery.poll-interval=1h",
      "vigil.ingest.topic=" + PromptDeliveryTest.TOPIC,
      "spring.data.redis.database=4",
      "spring.kafka.consumer.group-id=alert-service-prompt"
    })
class PromptDeliveryTest extends ServiceTestSupport {
  static final String TOPIC = "vigil.alerts.prompt";
  private static final String SECRET = "whsec-prompt-0123456789";

  @Test
  void aWebhookIsSentWhenItsAlertIsIngestedWithoutWaitingForThePollTick() throws Exception {
    String rule = Alerts.uniqueRule("prompt");
    try (WebhookReceiver receiver = new WebhookReceiver(SECRET, n -> 200)) {
      webhook(receiver.url(), SECRET, "{\"ruleIds\":[\"" + rule + "\"]}", "");
      String first = Alerts.newId();
      String second = Alerts.newId();
      publishTo(
          TOPIC, "k", Alerts.json(first, rule, "high", List.of(), null, Map.of("cardId", "c-1")));
      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted().size() == 1);
      publishTo(
          TOPIC, "k", Alerts.json(second, rule, "high", List.of(), null, Map.of("cardId", "c-2")));
      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted().size() == 2);
      assertThat(receiver.accepted())
          .extracting(WebhookReceiver.Received::idempotencyKey)
          .containsExactly(first, second);
    }
  }
}
