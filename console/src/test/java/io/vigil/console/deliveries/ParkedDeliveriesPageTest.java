package io.vigil.console.deliveries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.console.AlertServiceTestSupport;
import io.vigil.console.AlertsTopic;
import io.vigil.console.ConsoleMvc;
import io.vigil.console.RealAlertService;
import io.vigil.console.security.Role;
import io.vigil.testing.webhook.WebhookReceiver;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.context.WebApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ParkedDeliveriesPageTest extends AlertServiceTestSupport {
  @Autowired WebApplicationContext context;
  @Autowired JsonMapper json;

  ConsoleMvc admin;
  ConsoleMvc viewer;

  @BeforeEach
  void users() {
    admin = ConsoleMvc.as(context, "admin", Role.ADMIN);
    viewer = ConsoleMvc.as(context, "viewer", Role.VIEWER);
  }

  /** A subscription for one rule whose receiver refuses for good (410): its deliveries park. */
  String refusedSubscription(WebhookReceiver receiver, String rule) {
    var created =
        RealAlertService.get()
            .api(
                "POST",
                "/api/subscriptions",
                """
                {"name":"%s","type":"webhook","url":"%s","secret":"parked-secret-0123456789",
                 "match":{"ruleIds":["%s"]}}
                """
                    .formatted(rule, receiver.url(), rule));
    assertThat(created.statusCode()).isEqualTo(201);
    return json.readTree(created.body()).get("id").asString();
  }

  JsonNode parked(String subscriptionId) {
    return json.readTree(
        RealAlertService.get()
            .api("GET", "/api/deliveries/parked?subscriptionId=" + subscriptionId, null)
            .body());
  }

  @Test
  void aParkedDeliveryIsListedWithItsReasonAndAnAdminReplaysIt() throws Exception {
    String rule = "parked_one_" + System.nanoTime();
    try (WebhookReceiver receiver = WebhookReceiver.unverified(410)) {
      String subscription = refusedSubscription(receiver, rule);
      String alertId = AlertsTopic.publish(rule);
      await().atMost(Duration.ofSeconds(60)).until(() -> parked(subscription).size() == 1);
      String deliveryId = parked(subscription).get(0).get("id").asString();

      String page =
          viewer.get("/deliveries/parked?subscriptionId=" + subscription).getContentAsString();
      assertThat(page).contains(deliveryId, rule, "HTTP 410");
      assertThat(page).doesNotContain("Replay every parked delivery");

      receiver.answer(200);
      assertThat(viewer.post("/deliveries/" + deliveryId + "/replay", Map.of()).getStatus())
          .isEqualTo(403);
      assertThat(admin.post("/deliveries/" + deliveryId + "/replay", Map.of()).getStatus())
          .isEqualTo(302);

      await().atMost(Duration.ofSeconds(60)).until(() -> parked(subscription).isEmpty());
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(String.join("\n", receiver.bodies())).contains(alertId));
      assertThat(viewer.get("/subscriptions/" + subscription).getContentAsString())
          .contains("delivered");
    }
  }

  @Test
  void anAdminReplaysEveryParkedDeliveryOfASubscriptionAtOnce() throws Exception {
    String rule = "parked_bulk_" + System.nanoTime();
    try (WebhookReceiver receiver = WebhookReceiver.unverified(410)) {
      String subscription = refusedSubscription(receiver, rule);
      AlertsTopic.publish(rule);
      AlertsTopic.publish(rule);
      await().atMost(Duration.ofSeconds(60)).until(() -> parked(subscription).size() == 2);
      receiver.answer(200);

      var flash =
          admin.postForFlash(
              "/deliveries/parked/replay",
              Map.of("subscriptionId", subscription, "from", "2000-01-01T00:00", "to", ""));

      assertThat(flash.get("notice")).isEqualTo("2 parked deliveries are back on the schedule.");
      await().atMost(Duration.ofSeconds(60)).until(() -> parked(subscription).isEmpty());
    }
  }

  @Test
  void aBulkReplayWithABadTimeSaysSo() throws Exception {
    var flash =
        admin.postForFlash("/deliveries/parked/replay", Map.of("from", "yesterday", "to", ""));
    assertThat(flash.get("error")).asString().contains("UTC times");
  }
}
