package io.vigil.alert.api;

import io.vigil.alert.delivery.Attempt;
import io.vigil.alert.delivery.ChannelSender;
import io.vigil.alert.delivery.Delivery;
import io.vigil.alert.delivery.DeliveryStatus;
import io.vigil.alert.delivery.DeliveryStore;
import io.vigil.alert.delivery.Outcome;
import io.vigil.alert.model.Alert;
import io.vigil.alert.model.AlertJson;
import io.vigil.alert.model.AlertKind;
import io.vigil.alert.model.Severity;
import io.vigil.alert.subscription.Subscription;
import io.vigil.alert.subscription.SubscriptionNotFoundException;
import io.vigil.alert.subscription.SubscriptionStore;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What an operator checks about one subscription: does its receiver take a notification now (a test
 * alert sent at once, outside the schedule, so that it neither waits behind real deliveries nor is
 * retried), and what happened to its recent deliveries (test sends among them, marked as tests).
 */
@RestController
@RequestMapping("/api/subscriptions/{id}")
class SubscriptionChecksController {
  static final String TEST_RULE = "vigil_test_alert";

  private final SubscriptionStore subscriptions;
  private final DeliveryStore deliveries;
  private final List<ChannelSender> senders;
  private final AlertJson alerts;
  private final Clock clock;

  SubscriptionChecksController(
      SubscriptionStore subscriptions,
      DeliveryStore deliveries,
      List<ChannelSender> senders,
      AlertJson alerts,
      Clock clock) {
    this.subscriptions = subscriptions;
    this.deliveries = deliveries;
    this.senders = senders;
    this.alerts = alerts;
    this.clock = clock;
  }

  /**
   * Sends one test alert to the receiver now and answers with its status and latency; the send is
   * kept in the subscription's delivery history, marked as a test.
   */
  @PostMapping("/test")
  TestSend test(@PathVariable String id) {
    Subscription subscription =
        subscriptions.find(id).orElseThrow(() -> new SubscriptionNotFoundException(id));
    ChannelSender sender =
        senders.stream()
            .filter(s -> s.type() == subscription.type())
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no sender for " + subscription.type()));
    Instant now = clock.instant();
    String alertId = "test-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    Alert alert =
        new Alert(
            alertId,
            TEST_RULE,
            1,
            AlertKind.MATCH,
            Severity.LOW,
            "Test alert",
            "A test notification sent from the Vigil console or API; nothing happened.",
            List.of("test"),
            Optional.empty(),
            Map.of(),
            now,
            now,
            now,
            Map.of());
    Delivery delivery =
        new Delivery(
            alertId,
            subscription.id(),
            alertId,
            "[" + alerts.encode(alert) + "]",
            0,
            List.of(),
            0,
            DeliveryStatus.PENDING,
            now,
            now,
            "",
            true);
    long started = System.nanoTime();
    Outcome outcome = sender.send(delivery, subscription, 1);
    long millis = (System.nanoTime() - started) / 1_000_000;
    TestSend result = result(outcome, millis);
    String error =
        result.result().equals("not-sent") ? "not sent: " + result.error() : result.error();
    Attempt attempt = new Attempt(1, now, result.status(), error, millis);
    deliveries.recordTest(
        new Delivery(
            delivery.id(),
            delivery.subscriptionId(),
            delivery.idempotencyKey(),
            delivery.alertsJson(),
            0,
            List.of(attempt),
            0,
            result.result().equals("delivered") ? DeliveryStatus.DELIVERED : DeliveryStatus.FAILED,
            now,
            now,
            "",
            true),
        clock.instant());
    return result;
  }

  private static TestSend result(Outcome outcome, long millis) {
    if (outcome instanceof Outcome.Delivered d) {
      return new TestSend("delivered", d.status(), "", millis);
    }
    if (outcome instanceof Outcome.Retryable r) {
      return new TestSend("failed", r.status(), r.error(), millis);
    }
    if (outcome instanceof Outcome.Permanent p) {
      return new TestSend("failed", p.status(), p.error(), millis);
    }
    Outcome.Deferred deferred = (Outcome.Deferred) outcome;
    return new TestSend(
        "not-sent",
        0,
        deferred.circuitOpen()
            ? "the endpoint's circuit is open after failures; next probe in " + deferred.pause()
            : "the endpoint is busy with deliveries",
        millis);
  }

  /**
   * The subscription's deliveries, most recently attempted first, with every attempt (at most
   * {@link DeliveryStore#RECENT_KEPT}; delivered ones for the delivery retention).
   */
  @GetMapping("/deliveries")
  List<Delivery> recent(@PathVariable String id, @RequestParam(defaultValue = "50") int limit) {
    if (subscriptions.find(id).isEmpty()) {
      throw new SubscriptionNotFoundException(id);
    }
    return deliveries.recent(id, Math.max(1, Math.min(limit, DeliveryStore.RECENT_KEPT)));
  }
}
