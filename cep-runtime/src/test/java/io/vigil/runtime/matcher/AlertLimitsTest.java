package io.vigil.runtime.matcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.event.Event;
import io.vigil.compiler.event.EventDecoder;
import io.vigil.dsl.schema.StreamSchema;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.alert.AlertFitting;
import io.vigil.runtime.alert.AlertJson;
import io.vigil.runtime.alert.AlertLimits;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.rules.MatchingRule;
import io.vigil.runtime.rules.compiled.CompilingRuleBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An alert of a long loop keeps the first and last events of each stage up to the cap, says how
 * many it left out, and never exceeds its maximum size.
 */
class AlertLimitsTest {

  private static final String STREAM =
      """
      stream readings
        time ts
        fields
          id: string
          sensor: string
          note: string
          ts: timestamp
      """;

  private static final String RULE =
      """
      rule bursts
        from readings
        partition by sensor
        pattern
          a: note != "end" {3,} consecutive
          then b: note == "end"
        within 1d
        alert "burst of {count(a)} on {sensor}"
      """;

  private final StreamSchema schema;
  private final MatchingRule rule;

  AlertLimitsTest() throws Exception {
    CompilingRuleBuilder builder = new CompilingRuleBuilder();
    schema = builder.declareStream(new RuleCommand.DeclareStream("readings", 1, STREAM), Map.of());
    rule =
        builder.buildRule(
            new RuleCommand.UpsertRule("bursts", 1, RULE, Long.MIN_VALUE, false),
            Map.of("readings", schema));
  }

  private Event event(int i, String note) {
    String json =
        "{\"id\":\"e%d\",\"sensor\":\"s1\",\"note\":\"%s\",\"ts\":\"%s\"}"
            .formatted(i, note, Instant.ofEpochSecond(1_000_000 + i));
    return new EventDecoder(schema).decode(json).decoded().orElseThrow();
  }

  private Map<String, List<Event>> loop(int n, String note) {
    List<Event> a = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      a.add(event(i, note));
    }
    Map<String, List<Event>> match = new LinkedHashMap<>();
    match.put("a", a);
    match.put("b", List.of(event(n, "end")));
    return match;
  }

  private static List<Object> ids(Alert alert, String stage) {
    return alert.events().get(stage).stream().map(e -> e.get("id")).toList();
  }

  @Test
  void aLongLoopKeepsTheFirstAndLastEventsOfTheStageAndCountsTheRest() {
    Alert alert =
        Alerts.of(rule, Alert.Kind.MATCH, loop(1_000, "x"), 0, 0, new AlertLimits(4, 900_000));
    assertThat(ids(alert, "a")).containsExactly("e0", "e1", "e998", "e999");
    assertThat(ids(alert, "b")).containsExactly("e1000");
    assertThat(alert.dropped()).containsExactly(Map.entry("a", 996));
    assertThat(alert.truncated()).isFalse();
    // The template still sees the whole match; the times span it.
    assertThat(alert.message()).isEqualTo("burst of 1000 on s1");
    assertThat(alert.startTime()).isEqualTo(1_000_000_000L);
    assertThat(alert.endTime()).isEqualTo(1_001_000_000L);
    // The JSON form says so, and reads back the same.
    assertThat(AlertJson.write(alert)).contains("\"dropped\":{\"a\":996}");
    assertThat(AlertJson.read(AlertJson.write(alert))).isEqualTo(alert);
  }

  @Test
  void anAlertWithinTheCapIsUnchangedAndKeepsItsId() {
    Map<String, List<Event>> match = loop(3, "x");
    Alert uncapped = Alerts.of(rule, Alert.Kind.MATCH, match, 0, 0, AlertLimits.none());
    Alert capped = Alerts.of(rule, Alert.Kind.MATCH, match, 0, 0, AlertLimits.defaults());
    assertThat(capped).isEqualTo(uncapped);
    assertThat(capped.complete()).isTrue();
    assertThat(AlertJson.write(capped)).contains("\"dropped\":{},\"truncated\":false");
    // Two loops that differ only in what the cap left out have different ids.
    Alert longer =
        Alerts.of(rule, Alert.Kind.MATCH, loop(1_001, "x"), 0, 0, new AlertLimits(4, 900_000));
    Alert shorter =
        Alerts.of(rule, Alert.Kind.MATCH, loop(1_000, "x"), 0, 0, new AlertLimits(4, 900_000));
    assertThat(longer.alertId()).isNotEqualTo(shorter.alertId());
  }

  @Test
  void anAlertAboveTheMaximumSizeGivesUpMoreEventsUntilItFits() {
    String note = "n".repeat(1_000);
    Alert alert =
        Alerts.of(rule, Alert.Kind.MATCH, loop(500, note), 0, 0, new AlertLimits(100, 20_000));
    assertThat(AlertFitting.size(alert)).isLessThanOrEqualTo(20_000);
    List<Object> kept = ids(alert, "a");
    assertThat(kept).isNotEmpty().startsWith("e0").endsWith("e499");
    assertThat(kept.size() + alert.dropped().get("a")).isEqualTo(500);
    assertThat(alert.message()).isEqualTo("burst of 500 on s1");
  }

  @Test
  void whenNoEventIsLeftToGiveUpTheTextsAreCutWithAMarker() {
    Alert big =
        new Alert(
            "id",
            "r",
            1,
            Alert.Kind.MATCH,
            "high",
            "t".repeat(10_000),
            "m".repeat(50_000),
            List.of(),
            java.util.Optional.empty(),
            Map.of("sensor", "s".repeat(50_000)),
            0,
            0,
            0,
            Map.of(),
            Map.of(),
            false);
    Alert fitted = AlertFitting.fit(big, 8_192);
    assertThat(AlertFitting.size(fitted)).isLessThanOrEqualTo(8_192);
    assertThat(fitted.truncated()).isTrue();
    assertThat(fitted.message()).endsWith(AlertFitting.MARKER);
    assertThat(fitted.alertId()).isEqualTo("id");
  }
}
