package io.vigil.alert.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.alert.Alerts;
import io.vigil.alert.ScaledServiceTestSupport;
import io.vigil.testing.webhook.WebhookReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** The scaled context allows 20 subscriptions, 3 silences and 5 alerts per group. */
class LimitsTest extends ScaledServiceTestSupport {
  private static final String SECRET = "whsec-limits-0123456789";

  @Autowired MeterRegistry meters;

  @Test
  void oneSubscriptionMoreThanTheCapIsRefusedWithAConflict() {
    int existing = json.readTree(api("GET", "/api/subscriptions", null).body()).size();
    List<String> created = new ArrayList<>();
    try {
      for (int i = existing; i < 20; i++) {
        created.add(mail("cap" + i + "@example.org"));
      }
      Response refused =
          api(
              "POST",
              "/api/subscriptions",
              """
              {"name":"one too many","type":"email","to":["x@example.org"],"match":{}}
              """);
      assertThat(refused.status()).isEqualTo(409);
      JsonNode problem = json.readTree(refused.body());
      assertThat(problem.get("title").asString()).isEqualTo("Limit reached");
      assertThat(problem.get("detail").asString())
          .contains("at most 20 subscriptions", "vigil.limits.max-subscriptions");
      // Changing an existing subscription is not adding one.
      Response replaced =
          api(
              "PUT",
              "/api/subscriptions/" + created.get(0),
              """
              {"name":"renamed","type":"email","to":["y@example.org"],"match":{"ruleIds":["no_such_rule"]}}
              """);
      assertThat(replaced.status()).isEqualTo(200);
    } finally {
      created.forEach(id -> api("DELETE", "/api/subscriptions/" + id, null));
    }
    assertThat(mailStatus("again@example.org")).isEqualTo(201);
  }

  @Test
  void oneSilenceMoreThanTheCapIsRefusedWithAConflict() {
    String rule = Alerts.uniqueRule("silence_cap");
    List<String> created = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        Response r = silence(rule);
        assertThat(r.status()).isEqualTo(201);
        created.add(json.readTree(r.body()).get("id").asString());
      }
      Response refused = silence(rule);
      assertThat(refused.status()).isEqualTo(409);
      assertThat(json.readTree(refused.body()).get("detail").asString())
          .contains("at most 3 active silences", "vigil.limits.max-silences");
    } finally {
      created.forEach(id -> api("DELETE", "/api/silences/" + id, null));
    }
  }

  @Test
  void aFullGroupDropsLaterAlertsCountsThemAndSaysSoInItsNotification() throws Exception {
    String rule = Alerts.uniqueRule("group_cap");
    double droppedBefore = dropped();
    try (WebhookReceiver receiver = new WebhookReceiver(SECRET, n -> 200)) {
      String subscription =
          subscribe(
              """
              {"name":"grouped","type":"webhook","url":"%s","secret":"%s",
               "match":{"ruleIds":["%s"]},"grouping":{"by":"rule","window":"PT3S"}}
              """
                  .formatted(receiver.url(), SECRET, rule));
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String id = Alerts.newId();
        ids.add(id);
        publish("k", Alerts.simple(id, rule));
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> receiver.accepted().size() >= 1);
      JsonNode payload = json.readTree(receiver.accepted().get(0).body());
      List<String> sent = new ArrayList<>();
      payload.get("alerts").forEach(a -> sent.add(a.get("alertId").asString()));
      assertThat(sent).hasSize(5).isSubsetOf(ids);
      assertThat(payload.get("suppressed").asInt()).isEqualTo(3);
      assertThat(dropped() - droppedBefore).isEqualTo(3.0);
      api("DELETE", "/api/subscriptions/" + subscription, null);
    }
  }

  private String mail(String to) {
    return subscribe(
        """
        {"name":"cap","type":"email","to":["%s"],"match":{"ruleIds":["no_such_rule"]}}
        """
            .formatted(to));
  }

  private int mailStatus(String to) {
    Response r =
        api(
            "POST",
            "/api/subscriptions",
            """
            {"name":"cap","type":"email","to":["%s"],"match":{"ruleIds":["no_such_rule"]}}
            """
                .formatted(to));
    if (r.status() == 201) {
      api("DELETE", "/api/subscriptions/" + json.readTree(r.body()).get("id").asString(), null);
    }
    return r.status();
  }

  private Response silence(String rule) {
    return api(
        "POST",
        "/api/silences",
        """
        {"match":{"ruleIds":["%s"]},"endsAt":"%s","comment":"cap"}
        """
            .formatted(rule, Instant.now().plus(Duration.ofHours(1))));
  }

  private double dropped() {
    var counter = meters.find("vigil.notifications").tag("outcome", "dropped").counter();
    return counter == null ? 0 : counter.count();
  }
}
