package io.vigil.console.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.console.AlertServiceTestSupport;
import io.vigil.console.AlertsTopic;
import io.vigil.console.ConsoleMvc;
import io.vigil.console.RealAlertService;
import io.vigil.console.security.Role;
import io.vigil.testing.webhook.WebhookReceiver;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.context.WebApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SubscriptionPagesTest extends AlertServiceTestSupport {
  @Autowired WebApplicationContext context;
  @Autowired JsonMapper json;

  ConsoleMvc admin;
  ConsoleMvc viewer;

  @BeforeEach
  void users() {
    admin = ConsoleMvc.as(context, "admin", Role.ADMIN);
    viewer = ConsoleMvc.as(context, "viewer", Role.VIEWER);
  }

  static Map<String, String> webhookForm(String name, String url) {
    Map<String, String> form = new HashMap<>();
    form.put("name", name);
    form.put("type", "webhook");
    form.put("enabled", "true");
    form.put("url", url);
    form.put("secret", "a-signing-secret-0123456789");
    form.put("minSeverity", "high");
    form.put("rules", "card_testing, velocity");
    form.put("tags", "fraud");
    form.put("owners", "team-x");
    form.put("key", "cardId=c-1");
    form.put("throttle", "5m");
    form.put("groupBy", "rule");
    form.put("groupWindow", "1m");
    return form;
  }

  String created(MockHttpServletResponse response) throws Exception {
    assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(302);
    String location = response.getRedirectedUrl();
    assertThat(location).startsWith("/subscriptions/");
    return location.substring("/subscriptions/".length());
  }

  JsonNode stored(String id) {
    var response = RealAlertService.get().api("GET", "/api/subscriptions/" + id, null);
    assertThat(response.statusCode()).isEqualTo(200);
    return json.readTree(response.body());
  }

  @Test
  void anAdminCreatesAWebhookSubscriptionWithItsFiltersThrottleAndGrouping() throws Exception {
    String id =
        created(admin.post("/subscriptions", webhookForm("fraud hook", "http://127.0.0.1:9/hook")));

    JsonNode s = stored(id);
    assertThat(s.get("name").asString()).isEqualTo("fraud hook");
    assertThat(s.get("type").asString()).isEqualTo("webhook");
    assertThat(s.get("minSeverity").asString()).isEqualTo("high");
    assertThat(s.get("hasSecret").asBoolean()).isTrue();
    assertThat(s.get("match").get("ruleIds").toString()).contains("card_testing", "velocity");
    assertThat(s.get("match").get("tags").toString()).contains("fraud");
    assertThat(s.get("match").get("owners").toString()).contains("team-x");
    assertThat(s.get("match").get("key").get("cardId").asString()).isEqualTo("c-1");
    assertThat(s.get("throttle").asString()).isEqualTo("PT5M");
    assertThat(s.get("grouping").get("by").asString()).isEqualTo("rule");
    assertThat(s.get("grouping").get("window").asString()).isEqualTo("PT1M");

    String list = viewer.get("/subscriptions").getContentAsString();
    assertThat(list)
        .contains("fraud hook", "http://127.0.0.1:9/hook", "tag fraud", "grouped by rule");
    String page = viewer.get("/subscriptions/" + id).getContentAsString();
    assertThat(page).contains("fraud hook", "cardId=c-1", "set (never shown)");
    assertThat(page).doesNotContain("a-signing-secret-0123456789", "Send a test alert");
  }

  @Test
  void anEmailSubscriptionTakesRecipientsAndTheEditFormShowsWhatIsStored() throws Exception {
    Map<String, String> form = new HashMap<>();
    form.put("name", "night digest");
    form.put("type", "email");
    form.put("enabled", "true");
    form.put("to", "oncall@example.org, lead@example.org");
    form.put("groupBy", "all");
    form.put("groupWindow", "15m");
    String id = created(admin.post("/subscriptions", form));

    JsonNode s = stored(id);
    assertThat(s.get("to").toString()).contains("oncall@example.org", "lead@example.org");
    String edit = admin.get("/subscriptions/" + id + "/edit").getContentAsString();
    assertThat(edit).contains("value=\"night digest\"", "value=\"15m\"", "oncall@example.org");
  }

  @Test
  void editingKeepsTheSecretAndChangesWhatTheFormSays() throws Exception {
    String id =
        created(admin.post("/subscriptions", webhookForm("to edit", "http://127.0.0.1:9/hook")));
    Map<String, String> form = webhookForm("edited", "http://127.0.0.1:9/other");
    form.put("secret", "");
    form.put("minSeverity", "critical");
    form.remove("enabled");

    MockHttpServletResponse saved = admin.post("/subscriptions/" + id, form);

    assertThat(saved.getRedirectedUrl()).isEqualTo("/subscriptions/" + id);
    JsonNode s = stored(id);
    assertThat(s.get("name").asString()).isEqualTo("edited");
    assertThat(s.get("url").asString()).isEqualTo("http://127.0.0.1:9/other");
    assertThat(s.get("minSeverity").asString()).isEqualTo("critical");
    assertThat(s.get("enabled").asBoolean()).isFalse();
    assertThat(s.get("hasSecret").asBoolean()).isTrue();
  }

  @Test
  void aFormWithProblemsIsShownAgainWithEachProblemAndNothingIsCreated() throws Exception {
    int before =
        json.readTree(RealAlertService.get().api("GET", "/api/subscriptions", null).body()).size();
    Map<String, String> form = webhookForm("", "");
    form.put("throttle", "soon");
    form.put("key", "cardId");

    MockHttpServletResponse page = admin.post("/subscriptions", form);

    assertThat(page.getStatus()).isEqualTo(200);
    assertThat(page.getContentAsString())
        .contains("Name: give the subscription a name.")
        .contains("URL: a webhook needs the receiver")
        .contains("Throttle: write a duration")
        .contains("Key: write each part as field=value");
    assertThat(json.readTree(RealAlertService.get().api("GET", "/api/subscriptions", null).body()))
        .hasSize(before);
  }

  @Test
  void aUrlTheAlertServiceRefusesIsShownWithItsReason() throws Exception {
    MockHttpServletResponse page =
        admin.post("/subscriptions", webhookForm("metadata", "http://169.254.169.254/latest"));

    assertThat(page.getStatus()).isEqualTo(200);
    assertThat(page.getContentAsString())
        .contains("The alert service refused the request (HTTP 400)")
        .doesNotContain("Exception");
  }

  @Test
  void aTestAlertShowsTheReceiversStatusAndLatency() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.unverified(200)) {
      String id = created(admin.post("/subscriptions", webhookForm("tested", receiver.url())));

      String ok = admin.post("/subscriptions/" + id + "/test", Map.of()).getContentAsString();

      assertThat(ok)
          .contains("Delivered", "receiver answered HTTP 200")
          .containsPattern("in \\d+ ms");
      assertThat(receiver.bodies()).hasSize(1);
      assertThat(receiver.bodies().get(0)).contains("vigil_test_alert");

      receiver.answer(503);
      String failed = admin.post("/subscriptions/" + id + "/test", Map.of()).getContentAsString();
      assertThat(failed).contains("Failed", "receiver answered HTTP 503");

      // Both sends are in the delivery history, each marked as a test.
      String page = viewer.get("/subscriptions/" + id).getContentAsString();
      String history = page.substring(page.indexOf("id=\"history\""));
      assertThat(history.split("title=\"a test alert", -1)).hasSize(3);
      assertThat(history).contains("delivered", "failed", "HTTP 200 ok", "HTTP 503");
    }
  }

  @Test
  void theSubscriptionPageShowsItsDeliveryHistory() throws Exception {
    String rule = "history_" + System.nanoTime();
    try (WebhookReceiver receiver = WebhookReceiver.unverified(200)) {
      Map<String, String> form = webhookForm("with history", receiver.url());
      form.put("rules", rule);
      form.put("owners", "");
      form.put("groupBy", "none");
      form.put("throttle", "");
      String id = created(admin.post("/subscriptions", form));
      String alertId = AlertsTopic.publish(rule);

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(viewer.get("/subscriptions/" + id).getContentAsString())
                      .contains(alertId, "delivered", "HTTP 200"));
    }
  }

  @Test
  void deletingASubscriptionAsksFirstAndAPostWithoutTheConfirmationDeletesNothing()
      throws Exception {
    String id =
        created(admin.post("/subscriptions", webhookForm("to confirm", "http://127.0.0.1:9/hook")));

    String page = admin.get("/subscriptions/" + id).getContentAsString();
    assertThat(page).contains("href=\"/subscriptions/" + id + "/delete\"");
    assertThat(page).doesNotContain("action=\"/subscriptions/" + id + "/delete\"");
    MockHttpServletResponse confirm = admin.get("/subscriptions/" + id + "/delete");
    assertThat(confirm.getStatus()).isEqualTo(200);
    assertThat(confirm.getContentAsString())
        .contains("Delete subscription to confirm?", "http://127.0.0.1:9/hook")
        .contains("cannot be undone")
        .contains("name=\"confirm\" value=\"yes\"");

    MockHttpServletResponse unconfirmed = admin.post("/subscriptions/" + id + "/delete", Map.of());

    assertThat(unconfirmed.getRedirectedUrl()).isEqualTo("/subscriptions/" + id + "/delete");
    assertThat(stored(id).get("name").asString()).isEqualTo("to confirm");
    assertThat(admin.post("/subscriptions/" + id + "/delete", Map.of("confirm", "no")).getStatus())
        .isEqualTo(302);
    assertThat(stored(id).get("name").asString()).isEqualTo("to confirm");
  }

  @Test
  void anAdminDeletesASubscriptionFromTheConfirmationPage() throws Exception {
    String id =
        created(admin.post("/subscriptions", webhookForm("to delete", "http://127.0.0.1:9/hook")));

    MockHttpServletResponse deleted =
        admin.post("/subscriptions/" + id + "/delete", Map.of("confirm", "yes"));

    assertThat(deleted.getRedirectedUrl()).isEqualTo("/subscriptions");
    assertThat(RealAlertService.get().api("GET", "/api/subscriptions/" + id, null).statusCode())
        .isEqualTo(404);
    assertThat(viewer.get("/subscriptions/" + id).getStatus()).isEqualTo(404);
  }

  @Test
  void aViewerSeesSubscriptionsButCannotChangeTestOrDeleteThem() throws Exception {
    String id =
        created(admin.post("/subscriptions", webhookForm("guarded", "http://127.0.0.1:9/hook")));

    assertThat(viewer.get("/subscriptions").getStatus()).isEqualTo(200);
    assertThat(viewer.get("/subscriptions/new").getStatus()).isEqualTo(403);
    assertThat(
            viewer
                .post("/subscriptions", webhookForm("sneaky", "http://127.0.0.1:9/hook"))
                .getStatus())
        .isEqualTo(403);
    assertThat(viewer.get("/subscriptions/" + id + "/delete").getStatus()).isEqualTo(403);
    assertThat(
            viewer.post("/subscriptions/" + id + "/delete", Map.of("confirm", "yes")).getStatus())
        .isEqualTo(403);
    assertThat(viewer.post("/subscriptions/" + id + "/test", Map.of()).getStatus()).isEqualTo(403);
    ConsoleMvc analyst = ConsoleMvc.as(context, "analyst", Role.ANALYST);
    assertThat(
            analyst.post("/subscriptions/" + id + "/delete", Map.of("confirm", "yes")).getStatus())
        .isEqualTo(403);
    assertThat(stored(id).get("name").asString()).isEqualTo("guarded");
  }
}
