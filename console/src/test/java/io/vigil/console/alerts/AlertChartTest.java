package io.vigil.console.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.console.ConsoleMvc;
import io.vigil.console.ConsoleTestSupport;
import io.vigil.console.security.Role;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.web.context.WebApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Alerts per rule over time, from the per-minute counters the alert service keeps in Redis: the
 * JSON the charts draw, the totals table beside them, and the range.
 */
class AlertChartTest extends ConsoleTestSupport {

  @Autowired WebApplicationContext context;
  @Autowired StringRedisTemplate redis;
  @Autowired JsonMapper json;
  ConsoleMvc viewer;

  @BeforeEach
  void users() {
    viewer = ConsoleMvc.as(context, "viewer", Role.VIEWER);
  }

  private JsonNode chart(String query) throws Exception {
    return json.readTree(viewer.get("/alerts/chart?" + query).getContentAsString());
  }

  private static long countAt(JsonNode chart, int series, Instant at) {
    long step = chart.get("stepSeconds").asLong();
    long bucket = Math.floorDiv(at.getEpochSecond(), step) * step;
    JsonNode times = chart.get("times");
    for (int i = 0; i < times.size(); i++) {
      if (times.get(i).asLong() == bucket) {
        return chart.get("series").get(series).get("counts").get(i).asLong();
      }
    }
    throw new AssertionError("no bucket for " + at);
  }

  @Test
  void eachRulesAlertsAreCountedInTheBucketOfTheirMinuteWithinTheRange() throws Exception {
    Instant now = Instant.now();
    Instant tenMinutesAgo = now.minus(Duration.ofMinutes(10));
    Instant threeHoursAgo = now.minus(Duration.ofHours(3));
    StoredAlerts.store(
        redis, StoredAlerts.alert("ch-1", "charted_rule", "high", "c1", tenMinutesAgo));
    StoredAlerts.store(
        redis, StoredAlerts.alert("ch-2", "charted_rule", "high", "c2", tenMinutesAgo));
    StoredAlerts.store(
        redis, StoredAlerts.alert("ch-3", "charted_rule", "high", "c3", threeHoursAgo));

    JsonNode hour = chart("rule=charted_rule&range=1h");
    assertThat(hour.get("range").asString()).isEqualTo("1h");
    assertThat(hour.get("stepSeconds").asLong()).isEqualTo(60);
    assertThat(hour.get("times").size()).isEqualTo(60);
    assertThat(hour.get("series").get(0).get("rule").asString()).isEqualTo("charted_rule");
    assertThat(hour.get("series").get(0).get("total").asLong()).isEqualTo(2);
    assertThat(countAt(hour, 0, tenMinutesAgo)).isEqualTo(2);

    JsonNode day = chart("rule=charted_rule&range=24h");
    assertThat(day.get("stepSeconds").asLong()).isEqualTo(900);
    assertThat(day.get("series").get(0).get("total").asLong()).isEqualTo(3);
    assertThat(countAt(day, 0, threeHoursAgo)).isEqualTo(1);
    assertThat(chart("rule=charted_rule&range=7d").get("series").get(0).get("total").asLong())
        .isEqualTo(3);
  }

  @Test
  void theChartOfEveryRuleShowsTheBusiestRulesFirstAndTheirTotals() throws Exception {
    Instant at = Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.SECONDS);
    // Other tests of the run store alerts in the same Redis, a few per rule: these two outnumber
    // them, so both are among the busiest rules.
    for (int i = 0; i < 60; i++) {
      StoredAlerts.store(redis, StoredAlerts.alert("busy-" + i, "busy_rule", "high", "c", at));
    }
    for (int i = 0; i < 30; i++) {
      StoredAlerts.store(redis, StoredAlerts.alert("quiet-" + i, "quiet_rule", "low", "c", at));
    }

    JsonNode all = chart("range=6h");
    List<String> rules =
        all.get("series").valueStream().map(s -> s.get("rule").asString()).toList();
    assertThat(rules).contains("busy_rule", "quiet_rule");
    assertThat(rules.indexOf("busy_rule")).isLessThan(rules.indexOf("quiet_rule"));
    assertThat(all.get("series").valueStream().map(s -> s.get("total").asLong()).toList())
        .isSortedAccordingTo(java.util.Comparator.reverseOrder());

    String page = viewer.get("/alerts?range=6h").getContentAsString();
    assertThat(page)
        .contains("Alerts per rule, last 6h")
        .contains("data-src=\"/alerts/chart?rule=&amp;range=6h\"")
        .containsPattern("busy_rule</a></td>\\s*<td class=\"count\">60</td>");
  }

  @Test
  void aRulesPageChartsThatRuleInTheChosenRange() throws Exception {
    ConsoleMvc analyst = ConsoleMvc.as(context, "analyst", Role.ANALYST);
    analyst.post(
        "/rules",
        Map.of(
            "source",
            """
            rule charted_page
              pattern
                f: maintenance(action == "FAULT")
              alert "Fault {deviceId}"
            """));
    StoredAlerts.store(
        redis, StoredAlerts.alert("cp-1", "charted_page", "high", "c", Instant.now()));
    String page = viewer.get("/rules/charted_page?range=7d").getContentAsString();
    assertThat(page)
        .contains("Alerts per rule, last 7d")
        .contains("data-src=\"/alerts/chart?rule=charted_page&amp;range=7d\"")
        .containsPattern("charted_page</a></td>\\s*<td class=\"count\">1</td>");
    // Without the job's metrics endpoint configured, the page says so.
    assertThat(page).contains("Runtime figures are not configured");
    assertThat(viewer.get("/rules").getContentAsString())
        .contains("Runtime figures are not configured");
  }
}
