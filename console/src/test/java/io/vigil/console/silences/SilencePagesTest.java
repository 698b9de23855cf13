package io.vigil.console.silences;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.console.AlertServiceTestSupport;
import io.vigil.console.ConsoleMvc;
import io.vigil.console.RealAlertService;
import io.vigil.console.security.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.context.WebApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SilencePagesTest extends AlertServiceTestSupport {
  @Autowired WebApplicationContext context;
  @Autowired JsonMapper json;

  ConsoleMvc admin;
  ConsoleMvc viewer;

  @BeforeEach
  void users() {
    admin = ConsoleMvc.as(context, "admin", Role.ADMIN);
    viewer = ConsoleMvc.as(context, "viewer", Role.VIEWER);
  }

  JsonNode silenceOf(String rule) {
    JsonNode all = json.readTree(RealAlertService.get().api("GET", "/api/silences", null).body());
    for (JsonNode s : all) {
      if (s.get("match").get("ruleIds").toString().contains(rule)) {
        return s;
      }
    }
    return null;
  }

  @Test
  void anAdminCreatesASilenceForADurationAndExpiresIt() throws Exception {
    String rule = "muted_" + System.nanoTime();
    Instant before = Instant.now();

    MockHttpServletResponse created =
        admin.post(
            "/silences",
            Map.of(
                "rules", rule, "key", "deviceId=d-7", "duration", "2h", "comment", "maintenance"));

    assertThat(created.getRedirectedUrl()).isEqualTo("/silences");
    JsonNode silence = silenceOf(rule);
    assertThat(silence).isNotNull();
    assertThat(silence.get("match").get("key").get("deviceId").asString()).isEqualTo("d-7");
    assertThat(silence.get("comment").asString()).isEqualTo("maintenance");
    Instant end = Instant.parse(silence.get("endsAt").asString());
    assertThat(end)
        .isBetween(before.plus(Duration.ofHours(2)), Instant.now().plus(Duration.ofHours(2)));

    String page = viewer.get("/silences").getContentAsString();
    assertThat(page).contains(rule, "deviceId=d-7", "maintenance", "active");
    assertThat(page).doesNotContain("Expire now", "New silence");

    String id = silence.get("id").asString();
    assertThat(
            admin.post("/silences/" + id + "/expire", Map.of("confirm", "yes")).getRedirectedUrl())
        .isEqualTo("/silences");
    assertThat(silenceOf(rule)).isNull();
  }

  @Test
  void expiringASilenceAsksFirstAndAPostWithoutTheConfirmationKeepsIt() throws Exception {
    String rule = "confirm_" + System.nanoTime();
    admin.post("/silences", Map.of("rules", rule, "duration", "1h", "comment", "night work"));
    String id = silenceOf(rule).get("id").asString();

    assertThat(admin.get("/silences").getContentAsString())
        .contains("href=\"/silences/" + id + "/expire\"")
        .doesNotContain("action=\"/silences/" + id + "/expire\"");
    MockHttpServletResponse confirm = admin.get("/silences/" + id + "/expire");
    assertThat(confirm.getStatus()).isEqualTo(200);
    assertThat(confirm.getContentAsString())
        .contains("Expire this silence?", rule, "night work", "notify their subscriptions again")
        .contains("name=\"confirm\" value=\"yes\"");

    MockHttpServletResponse unconfirmed = admin.post("/silences/" + id + "/expire", Map.of());

    assertThat(unconfirmed.getRedirectedUrl()).isEqualTo("/silences/" + id + "/expire");
    assertThat(silenceOf(rule)).isNotNull();
    assertThat(admin.get("/silences/no-such-silence/expire").getStatus()).isEqualTo(404);
  }

  @Test
  void aSilenceUntilATimeEndsThen() throws Exception {
    String rule = "until_" + System.nanoTime();

    admin.post("/silences", Map.of("rules", rule, "until", "2099-01-02T03:04", "comment", ""));

    assertThat(silenceOf(rule).get("endsAt").asString()).isEqualTo("2099-01-02T03:04:00Z");
  }

  @Test
  void aSilenceWithoutAMatcherOrWithABadDurationIsRefusedWithTheReason() throws Exception {
    MockHttpServletResponse none = admin.post("/silences", Map.of("duration", "1h"));
    assertThat(none.getStatus()).isEqualTo(422);
    assertThat(none.getContentAsString()).contains("Give at least one matcher");

    MockHttpServletResponse bad = admin.post("/silences", Map.of("tags", "x", "duration", "later"));
    assertThat(bad.getStatus()).isEqualTo(422);
    assertThat(bad.getContentAsString()).contains("Duration: write a duration");

    MockHttpServletResponse past =
        admin.post("/silences", Map.of("tags", "x", "until", "2001-01-01T00:00"));
    assertThat(past.getContentAsString()).contains("the end must be in the future");
  }

  @Test
  void aViewerCannotCreateOrExpireSilences() throws Exception {
    String rule = "kept_" + System.nanoTime();
    admin.post("/silences", Map.of("rules", rule, "duration", "1h"));
    String id = silenceOf(rule).get("id").asString();

    assertThat(viewer.post("/silences", Map.of("rules", "x", "duration", "1h")).getStatus())
        .isEqualTo(403);
    assertThat(viewer.get("/silences/" + id + "/expire").getStatus()).isEqualTo(403);
    assertThat(viewer.post("/silences/" + id + "/expire", Map.of("confirm", "yes")).getStatus())
        .isEqualTo(403);
    assertThat(silenceOf(rule)).isNotNull();
  }
}
