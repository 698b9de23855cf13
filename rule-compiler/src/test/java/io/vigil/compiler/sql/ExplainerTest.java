package io.vigil.compiler.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.Samples;
import io.vigil.compiler.rule.Compilation;
import io.vigil.compiler.rule.CompiledRule;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExplainerTest {

  static final Compilation SAMPLES = Samples.compile();

  static Explainer.SqlExport sql(String id) {
    return Explainer.toSql(SAMPLES.rule(id).orElseThrow().checked());
  }

  @Test
  void samplesWithAndWithoutSql() {
    assertThat(
            SAMPLES.rules().stream()
                .filter(r -> sql(r.id()).statement().isPresent())
                .map(CompiledRule::id))
        .containsExactlyInAnyOrder("card_testing", "impossible_travel", "vibration_burst");
    assertThat(sql("account_takeover").notes())
        .anyMatch(n -> n.startsWith("it reads several streams (logins, payments)"))
        .anyMatch(n -> n.startsWith("stage `fails` loops with relaxed contiguity"));
    assertThat(sql("flapping_sensor").notes()).anyMatch(n -> n.contains("GroupPattern"));
    assertThat(sql("device_silent").notes()).anyMatch(n -> n.contains("`not then`"));
    assertThat(sql("repair_overdue").notes()).anyMatch(n -> n.contains("timed-out matches"));
    assertThat(sql("split_purchases").notes()).anyMatch(n -> n.contains("followedByAny"));
  }

  @Test
  void vibrationBurstAsMatchRecognize() {
    assertThat(sql("vibration_burst").statement())
        .isEqualTo(
            Optional.of(
                """
                SELECT *
                FROM readings
                  MATCH_RECOGNIZE (
                    PARTITION BY deviceId
                    ORDER BY ts
                    MEASURES
                      COUNT(rise.ts) AS hole_1,
                      AVG(rise.vibration) AS hole_2,
                      AVG(rise.vibration) > 3.0 AS vigil_having
                    ONE ROW PER MATCH
                    AFTER MATCH SKIP PAST LAST ROW
                    PATTERN (rise{4,} calm) WITHIN INTERVAL '30' MINUTE
                    DEFINE
                      rise AS rise.vibration > 2.5,
                      calm AS calm.vibration < 1.0
                  ) AS m
                WHERE vigil_having"""));
  }

  @Test
  void aLoopAtTheEndIsReluctant() {
    CompiledRule rule =
        Samples.compileRule(
            """
            rule r
              severity low
              from readings
              partition by deviceId
              pattern
                a: temperature > 1
                next b: temperature > 5 {2,} consecutive
              within 1m
              skip past last event
              alert "x"
            """);
    assertThat(Explainer.toSql(rule.checked()).statement().orElseThrow())
        .contains("PATTERN (a b{2,}?) WITHIN INTERVAL '1' MINUTE");
  }
}
