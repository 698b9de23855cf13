package io.vigil.alert.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.alert.Alerts;
import io.vigil.alert.ScaledServiceTestSupport;
import io.vigil.testing.webhook.WebhookReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Receivers that fail for a long time, on the scaled schedule of {@link ScaledServiceTestSupport}
 * (the production attempt and circuit logic, with eight attempts: the schedule without the circuit
 * would park a delivery after about 3 s of failures).
 */
class WebhookOutageTest extends ScaledServiceTestSupport {
  private static final String SECRET = "whsec-outage-0123456789";

  @Autowired MeterRegistry meters;

  @Test
  void aReceiverDownForTenMinutesGetsEveryAlertExactlyOnceAndNothingIsParked() throws Exception {
    String rule = Alerts.uniqueRule("outage");
    Duration outage = Duration.ofMinutes(10).dividedBy(SCALE);
    try (WebhookReceiver receiver = new WebhookReceiver(SECRET, n -> 503)) {
      String subscription = webhook(receiver.url(), SECRET, rule);
      double deferredBefore = deferred();
      Instant recovers = Instant.now().plus(outage);
      receiver.answer(n -> Instant.now().isBefore(recovers) ? 503 : 200);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        String id = Alerts.newId();
        ids.add(id);
        publish("k" + i, Alerts.simple(id, rule));
      }

      await()
          .atMost(outage.plus(Duration.ofSeconds(60)))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> receiver.effects().size() == ids.size());

      assertThat(receiver.effects().keySet()).containsExactlyInAnyOrderElementsOf(ids);
      assertThat(receiver.received()).allMatch(WebhookReceiver.Received::signatureValid);
      assertThat(receiver.received().stream().filter(r -> r.answeredStatus() == 503))
          .as("the receiver really was down while alerts were sent")
          .isNotEmpty();
      assertThat(deferred() - deferredBefore)
          .as("deliveries were deferred by the open circuit")
          .isPositive();
      assertThat(parked(subscription)).isEmpty();
      // Every delivery is recorded as delivered, and its attempts are real calls only: as many
      // as the receiver saw requests with its delivery id.
      Set<String> deliveryIds = new HashSet<>();
      receiver.accepted().forEach(r -> deliveryIds.add(r.deliveryId()));
      for (String id : deliveryIds) {
        JsonNode delivery = json.readTree(api("GET", "/api/deliveries/" + id, null).body());
        assertThat(delivery.get("status").asString()).isEqualTo("delivered");
        long calls = receiver.received().stream().filter(r -> r.deliveryId().equals(id)).count();
        assertThat(delivery.get("attempts").size()).as(id).isEqualTo((int) calls);
      }
    }
  }

  @Test
  void aReceiverThatTricklesItsBodyIsCutAtTheDeadlineAndEachCallIsAFailedAttempt()
      throws Exception {
    String rule = Alerts.uniqueRule("trickle");
    try (WebhookReceiver receiver = new WebhookReceiver(SECRET, n -> 200)) {
      receiver.trickle(Duration.ofMillis(100));
      String subscription = webhook(receiver.url(), SECRET, rule);
      publish("k", Alerts.simple(Alerts.newId(), rule));

      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> parked(subscription).size() == 1);

      JsonNode attempts = parked(subscription).get(0).get("attempts");
      assertThat(attempts).hasSize(8);
      for (JsonNode attempt : attempts) {
        assertThat(attempt.get("error").asString()).isEqualTo("deadline of 1000 ms passed");
      }
      assertThat(receiver.received()).hasSize(8);
      await().atMost(Duration.ofSeconds(10)).until(() -> receiver.cutOff() == 8);
    }
  }

  @Test
  void aSuccessfulCallReplaysTheSubscriptionsParkedDeliveries() throws Exception {
    String rule = Alerts.uniqueRule("recovered");
    try (WebhookReceiver receiver = new WebhookReceiver(SECRET, n -> 500)) {
      // One endpoint per receiver: its circuit would otherwise defer and this test wait for it.
      String subscription = webhook(receiver.url(), SECRET, rule);
      String first = Alerts.newId();
      publish("k", Alerts.simple(first, rule));
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> parked(subscription).size() == 1);

      receiver.answer(n -> 200);
      String second = Alerts.newId();
      publish("k", Alerts.simple(second, rule));

      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> receiver.effects().size() == 2);
      assertThat(receiver.effects().keySet()).containsExactlyInAnyOrder(first, second);
      assertThat(parked(subscription)).isEmpty();
    }
  }

  private double deferred() {
    var counter =
        meters
            .find("vigil.deliveries")
            .tag("channel", "webhook")
            .tag("outcome", "deferred")
            .counter();
    return counter == null ? 0 : counter.count();
  }
}
