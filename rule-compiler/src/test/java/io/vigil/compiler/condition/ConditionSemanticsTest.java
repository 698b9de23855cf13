package io.vigil.compiler.condition;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.Samples;
import io.vigil.compiler.event.Event;
import io.vigil.compiler.event.EventDecoder;
import io.vigil.compiler.rule.Compilation;
import io.vigil.compiler.rule.CompiledRule;
import io.vigil.dsl.check.CheckedPattern;
import io.vigil.dsl.schema.StreamSchema;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Golden table of stage conditions on sample events, compiled from DSL text: every operator,
 * function and the three-valued null rule. Each row: a condition on {@code payments}, an event
 * (JSON, single quotes), whether the condition holds.
 */
class ConditionSemanticsTest {

  static final Compilation STREAMS = Samples.compileWithSampleStreams("");
  static final StreamSchema PAYMENTS = STREAMS.streams().get("payments");

  static boolean holds(String condition, String json) {
    CompiledRule rule =
        Samples.compileRule(
            """
            rule r
              severity low
              from payments
              partition by cardId
              pattern
                a: %s
              alert "x"
            """
                .formatted(condition));
    CheckedPattern.Stage stage = rule.checked().pattern().stages().get(0);
    Event event =
        new EventDecoder(PAYMENTS)
            .decode(("{'cardId':'c','ts':0," + json + "}").replace('\'', '"'))
            .decoded()
            .orElseThrow();
    return ExpressionCompiler.condition(stage.condition()).test(event, MatchView.NONE);
  }

  @ParameterizedTest(name = "{0} on {1} is {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          amount >= 500                          | 'amount': 500.00            | true
          amount >= 500                          | 'amount': 499.99            | false
          amount == 2                            | 'amount': 2.000             | true
          amount < 2.00                          | 'amount': '1.99'            | true
          amount + 1 > 10                        | 'amount': 9.50              | true
          amount * 2 == 3                        | 'amount': 1.5               | true
          amount / 0 > 1                         | 'amount': 1                 | false
          not (amount / 0 > 1)                   | 'amount': 1                 | false
          -amount < 0                            | 'amount': 1                 | true
          abs(amount - 10) < 1                   | 'amount': 10.5              | true
          amount between 10 and 20               | 'amount': 20                | true
          amount not between 10 and 20           | 'amount': 21                | true
          amount > 5                             | 'status': 'X'               | false
          not (amount > 5)                       | 'status': 'X'               | false
          not (amount > 5)                       | 'amount': 1                 | true
          amount > 5 or status == "X"            | 'status': 'X'               | true
          amount > 5 and status == "X"           | 'status': 'X'               | false
          not (amount > 5 and status == "Y")     | 'status': 'X'               | true
          amount == null                         | 'status': 'X'               | true
          amount != null                         | 'status': 'X'               | false
          amount != null                         | 'amount': 0                 | true
          currency in ["USD", "EUR"]             | 'currency': 'EUR'           | true
          currency in ["USD", "EUR"]             | 'currency': 'GBP'           | false
          currency not in ["USD", "EUR"]         | 'currency': 'GBP'           | true
          currency not in ["USD", "EUR"]         | 'status': 'X'               | false
          merchant contains "shop"               | 'merchant': 'tv-shop-1'     | true
          merchant startsWith "tv"               | 'merchant': 'tv-shop'       | true
          merchant endsWith "shop"               | 'merchant': 'tv-shop'       | true
          merchant matches "tv-[a-z]+"           | 'merchant': 'tv-shop'       | true
          merchant matches "tv"                  | 'merchant': 'tv-shop'       | false
          lower(merchant) == "acme"              | 'merchant': 'ACME'          | true
          upper(merchant) == "ACME"              | 'merchant': 'acme'          | true
          len(merchant) == 4                     | 'merchant': 'acme'          | true
          merchant > "b"                         | 'merchant': 'c'             | true
          ts < 1000                              | 'amount': 1                 | true
          ts >= 0                                | 'amount': 1                 | true
          true                                   | 'amount': 1                 | true
          """)
  void conditionOnEvent(String condition, String json, boolean expected) {
    assertThat(holds(condition, json)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void constantsArePreConvertedToTheComparisonDomain() {
    CompiledRule rule =
        Samples.compileRule(
            """
            rule r
              severity low
              from readings
              partition by deviceId
              pattern
                a: temperature > 90
              alert "x"
            """);
    Test root = ExpressionCompiler.test(rule.checked().pattern().stages().get(0).condition());
    assertThat(root).isInstanceOf(Tests.DoubleComparison.class);
    Tests.Comparison c = (Tests.Comparison) root;
    assertThat(c.right).isEqualTo(new Values.Constant(90.0));
    assertThat(c.left)
        .isEqualTo(
            new Values.Field(
                STREAMS.streams().get("readings").field("temperature").orElseThrow().index()));
  }

  @org.junit.jupiter.api.Test
  void stageReferencesNeedTheIterativeContextOthersDoNot() {
    CompiledRule rule = Samples.rule("card_testing");
    var stages = rule.checked().pattern().stages();
    assertThat(ExpressionCompiler.condition(stages.get(0).condition()).readsMatch()).isFalse();
    assertThat(ExpressionCompiler.condition(stages.get(1).condition()).readsMatch()).isTrue();
    assertThat(rule.pattern().getPrevious().getCondition().getClass().getSimpleName())
        .isEqualTo("StageFilter");
    assertThat(rule.pattern().getCondition().getClass().getSimpleName())
        .isEqualTo("StageCondition");
    assertThat(Map.of()).isEmpty();
  }
}
