package io.vigil.compiler.condition;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.Samples;
import io.vigil.compiler.event.Event;
import io.vigil.dsl.check.TypedExpr;
import java.math.BigDecimal;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Laws of the three-valued logic on random events with missing fields: De Morgan holds, a condition
 * and its negation never both hold, and a comparison on a missing field never holds.
 */
class ThreeValuedLogicPropertiesTest {

  static TypedExpr condition(String text) {
    return Samples.compileRule(
            """
            rule r
              severity low
              from payments
              partition by cardId
              pattern
                a: %s
              alert "x"
            """
                .formatted(text))
        .checked()
        .pattern()
        .stages()
        .get(0)
        .condition();
  }

  static final CompiledCondition A_AND_B =
      ExpressionCompiler.condition(condition("amount > 10 and currency == \"USD\""));
  static final CompiledCondition NOT_A_AND_B =
      ExpressionCompiler.condition(condition("not (amount > 10 and currency == \"USD\")"));
  static final CompiledCondition NOT_A_OR_NOT_B =
      ExpressionCompiler.condition(condition("not (amount > 10) or not (currency == \"USD\")"));
  static final CompiledCondition A = ExpressionCompiler.condition(condition("amount > 10"));
  static final CompiledCondition NOT_A =
      ExpressionCompiler.condition(condition("not (amount > 10)"));
  static final int AMOUNT =
      Samples.compileWithSampleStreams("")
          .streams()
          .get("payments")
          .field("amount")
          .orElseThrow()
          .index();
  static final int CURRENCY =
      Samples.compileWithSampleStreams("")
          .streams()
          .get("payments")
          .field("currency")
          .orElseThrow()
          .index();
  static final int SIZE = Samples.compileWithSampleStreams("").streams().get("payments").size();

  @Provide
  Arbitrary<Event> payments() {
    Arbitrary<BigDecimal> amounts =
        Arbitraries.bigDecimals()
            .between(BigDecimal.valueOf(-50), BigDecimal.valueOf(50))
            .ofScale(2)
            .injectNull(0.3);
    Arbitrary<String> currencies = Arbitraries.of("USD", "EUR").injectNull(0.3);
    return amounts.flatMap(
        amount ->
            currencies.map(
                currency -> {
                  Object[] values = new Object[SIZE];
                  values[AMOUNT] = amount;
                  values[CURRENCY] = currency;
                  return new Event("payments", 0, values);
                }));
  }

  @Property(tries = 300)
  void deMorganHolds(@ForAll("payments") Event e) {
    assertThat(NOT_A_AND_B.test(e, MatchView.NONE))
        .isEqualTo(NOT_A_OR_NOT_B.test(e, MatchView.NONE));
    assertThat(NOT_A_AND_B.test(e, MatchView.NONE)).isEqualTo(A_AND_B.testFalse(e, MatchView.NONE));
  }

  @Property(tries = 300)
  void aConditionAndItsNegationNeverBothHold(@ForAll("payments") Event e) {
    assertThat(A.test(e, MatchView.NONE) && NOT_A.test(e, MatchView.NONE)).isFalse();
    boolean missing = e.value(AMOUNT) == null;
    assertThat(A.test(e, MatchView.NONE) || NOT_A.test(e, MatchView.NONE)).isEqualTo(!missing);
  }
}
