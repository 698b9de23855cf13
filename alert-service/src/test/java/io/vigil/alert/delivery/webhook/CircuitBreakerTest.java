package io.vigil.alert.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.alert.delivery.Delivery;
import io.vigil.alert.delivery.DeliveryStatus;
import io.vigil.alert.delivery.Outcome;
import io.vigil.alert.model.AlertMatcher;
import io.vigil.alert.model.Severity;
import io.vigil.alert.subscription.ChannelType;
import io.vigil.alert.subscription.Grouping;
import io.vigil.alert.subscription.Subscription;
import io.vigil.testing.webhook.WebhookReceiver;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The per-endpoint circuit breaker, on the real sender against a real closed port and a real
 * receiver: after a dead endpoint's failures reach the threshold its circuit opens and deliveries
 * to it are deferred to the probe without touching the network (no attempt spent), while another
 * endpoint's circuit stays closed. Counts only, nothing timed (the open state lasts far longer than
 * the test).
 */
class CircuitBreakerTest {
  private static final String SECRET = "whsec-breaker-0123456789";

  @Test
  void aDeadEndpointsCircuitOpensAndDefersItsDeliveriesWithoutAffectingAHealthyEndpoint()
      throws Exception {
    WebhookProperties properties =
        new WebhookProperties(
            Duration.ofSeconds(2),
            Duration.ofSeconds(10),
            4,
            List.of("127.0.0.0/8"),
            List.of(),
            50,
            4,
            Duration.ofMinutes(10));
    JsonMapper mapper = JsonMapper.builder().build();
    WebhookSender sender =
        new WebhookSender(
            properties.urlGuard(),
            new EndpointGuards(properties),
            properties,
            mapper,
            Clock.systemUTC());
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    try (WebhookReceiver healthy = new WebhookReceiver(SECRET, n -> 200)) {
      Subscription dead = subscription("dead", "http://127.0.0.1:" + deadPort + "/hook");
      Subscription alive = subscription("alive", healthy.url());

      for (int i = 0; i < 4; i++) {
        Outcome o = sender.send(delivery("d" + i, dead), dead, 1);
        assertThat(o).isInstanceOf(Outcome.Retryable.class);
        assertThat(((Outcome.Retryable) o).error()).doesNotContain("circuit open");
      }
      Outcome refused = sender.send(delivery("d5", dead), dead, 1);
      assertThat(refused).isInstanceOf(Outcome.Deferred.class);
      Outcome.Deferred deferred = (Outcome.Deferred) refused;
      assertThat(deferred.circuitOpen()).isTrue();
      // Deferred to when the circuit lets its probe through (10 min open, plus a little jitter).
      assertThat(deferred.pause())
          .isGreaterThan(Duration.ofMinutes(9))
          .isLessThanOrEqualTo(Duration.ofMinutes(11));

      for (int i = 0; i < 6; i++) {
        assertThat(sender.send(delivery("h" + i, alive), alive, 1))
            .isEqualTo(new Outcome.Delivered(200));
      }
      assertThat(healthy.accepted()).hasSize(6);
      assertThat(healthy.received()).allMatch(WebhookReceiver.Received::signatureValid);
    }
  }

  private static Subscription subscription(String id, String url) {
    Instant now = Instant.now();
    return new Subscription(
        id,
        id,
        ChannelType.WEBHOOK,
        true,
        AlertMatcher.ANY,
        Severity.LOW,
        url,
        SECRET,
        List.of(),
        Grouping.NONE,
        Duration.ZERO,
        now,
        now);
  }

  private static Delivery delivery(String id, Subscription s) {
    return new Delivery(
        id,
        s.id(),
        id,
        "[{\"alertId\":\"" + id + "\"}]",
        0,
        List.of(),
        0,
        DeliveryStatus.PENDING,
        Instant.now(),
        Instant.now(),
        "",
        false);
  }
}
