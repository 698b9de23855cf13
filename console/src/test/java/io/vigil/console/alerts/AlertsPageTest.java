package io.vigil.console.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.console.ConsoleMvc;
import io.vigil.console.ConsoleTestSupport;
import io.vigil.console.rules.RuleLifecycleTest;
import io.vigil.console.security.Role;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.web.context.WebApplicationContext;

/** The alerts list, its filters, one alert's page and the rules list's alert figures. */
class AlertsPageTest extends ConsoleTestSupport {

  @Autowired WebApplicationContext context;
  @Autowired StringRedisTemplate redis;
  ConsoleMvc viewer;

  @BeforeEach
  void users() {
    viewer = ConsoleMvc.as(context, "viewer", Role.VIEWER);
  }

  @Test
  void storedAlertsAreListedFilteredAndShownWithTheirMatchedEventsPerStage() throws Exception {
    Instant now = Instant.now();
    StoredAlerts.store(redis, StoredAlerts.alert("a-high", "listed_alerts", "high", "c-77", now));
    StoredAlerts.store(redis, StoredAlerts.alert("a-low", "listed_alerts", "low", "c-88", now));
    String all = viewer.get("/alerts?rule=listed_alerts").getContentAsString();
    assertThat(all).contains("Card c-77: two large payments").contains("Card c-88");
    String high = viewer.get("/alerts?rule=listed_alerts&severity=high").getContentAsString();
    assertThat(high).contains("c-77").doesNotContain("c-88");
    assertThat(viewer.get("/alerts?rule=listed_alerts&key=c-88").getContentAsString())
        .contains("c-88")
        .doesNotContain("c-77");
    String page = viewer.get("/alerts/a-high").getContentAsString();
    assertThat(page).contains("<h3>first</h3>").contains("<h3>second</h3>").contains("p-2");
    assertThat(viewer.get("/alerts/no-such-alert").getStatus()).isEqualTo(404);
  }

  @Test
  void anAlertPublishedLiveReachesAnOpenListWhoseFilterItMatches() throws Exception {
    var matching = viewer.open("/alerts/live?rule=live_rule");
    var other = viewer.open("/alerts/live?rule=another_rule");
    Thread.sleep(500);
    StoredAlerts.publishLive(
        redis, StoredAlerts.alert("live-a", "live_rule", "high", "card-live", Instant.now()));
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(matching.getContentAsString())
                    .contains("event:alert")
                    .contains("Card card-live"));
    assertThat(other.getContentAsString()).doesNotContain("card-live");
  }

  @Test
  void theRulesListShowsEachRulesLastAlertAndItsAlertsInTheLastHour() throws Exception {
    ConsoleMvc.as(context, "analyst", Role.ANALYST)
        .post("/rules", Map.of("source", RuleLifecycleTest.rule("counted_alerts", "100")));
    Instant now = Instant.now();
    for (int i = 0; i < 3; i++) {
      StoredAlerts.store(redis, StoredAlerts.alert("c-" + i, "counted_alerts", "high", "c", now));
    }
    String list = viewer.get("/rules?q=counted_alerts").getContentAsString();
    assertThat(list).contains("/alerts?rule=counted_alerts").containsPattern("<td>3</td>");
  }
}
