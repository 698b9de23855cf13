package io.vigil.alert.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.alert.Alerts;
import io.vigil.alert.ServiceTestSupport;
import io.vigil.testing.webhook.WebhookReceiver;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The "one slow or dead endpoint must not hold back the others", on the whole service: a
 * receiver that takes 8 s per request and an address where nothing listens each get a backlog of
 * alerts first; a healthy receiver's alerts, published after them (so behind them in the schedule),
 * must still all arrive. Without the per-endpoint limit, every worker would sit on the slow
 * receiver (100 alerts, 8 s each: well over a minute of blocked workers), so the generous 45 s
 * bound separates the two behaviours by a wide margin; no timing is asserted beyond it.
 */
class EndpointIsolationTest extends ServiceTestSupport {
  private static final String SECRET = "whsec-isolation-0123456789";
  private static final int BACKLOG = 100;
  private static final int HEALTHY = 50;

  /** {@code vigil.webhook.max-concurrency-per-endpoint}'s default. */
  private static final int LIMIT = 4;

  @Test
  void aSlowAndADeadEndpointDoNotHoldBackAHealthyOne() throws Exception {
    String slowRule = Alerts.uniqueRule("slow");
    String deadRule = Alerts.uniqueRule("dead_port");
    String healthyRule = Alerts.uniqueRule("healthy");
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort(); // closed again: connections are refused
    }
    try (WebhookReceiver slow = new WebhookReceiver(SECRET, n -> 200);
        WebhookReceiver healthy = new WebhookReceiver(SECRET, n -> 200)) {
      slow.delay(Duration.ofSeconds(8)); // under the 10 s read timeout: slow, not failing
      String slowSub = webhook(slow.url(), SECRET, "{\"ruleIds\":[\"" + slowRule + "\"]}", "");
      String deadSub =
          webhook(
              "http://127.0.0.1:" + deadPort + "/hook",
              SECRET,
              "{\"ruleIds\":[\"" + deadRule + "\"]}",
              "");
      webhook(healthy.url(), SECRET, "{\"ruleIds\":[\"" + healthyRule + "\"]}", "");
      try {
        for (int i = 0; i < BACKLOG; i++) {
          publish("k", Alerts.simple(Alerts.newId(), slowRule));
          publish("k", Alerts.simple(Alerts.newId(), deadRule));
        }
        // The slow endpoint is saturated before the healthy alerts exist.
        await().atMost(Duration.ofSeconds(30)).until(() -> slow.started() >= LIMIT);
        for (int i = 0; i < HEALTHY; i++) {
          publish("k", Alerts.simple(Alerts.newId(), healthyRule));
        }

        await().atMost(Duration.ofSeconds(45)).until(() -> healthy.accepted().size() == HEALTHY);
        assertThat(healthy.effects()).hasSize(HEALTHY);
        // The slow receiver is still working through its backlog, never more than the limit
        // at once.
        assertThat(slow.accepted().size()).isLessThan(BACKLOG);
        assertThat(slow.maxConcurrent()).isBetween(1, LIMIT);
      } finally {
        // Their backlogs are dropped at the next claim instead of loading later tests.
        api("DELETE", "/api/subscriptions/" + slowSub, null);
        api("DELETE", "/api/subscriptions/" + deadSub, null);
      }
    }
  }
}
