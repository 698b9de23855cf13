package io.vigil.compiler.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.Samples;
import io.vigil.compiler.condition.EvaluationFailures;
import io.vigil.compiler.event.Event;
import io.vigil.compiler.event.EventDecoder;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.junit.jupiter.api.Test;

/**
 * A condition or template hole that fails while the rule runs (here: integer overflow) does not
 * take the rule down: the condition does not hold, the hole renders a placeholder, and the failure
 * is counted per compiled rule.
 */
class EvaluationFailuresTest {

  static final String MAX = Long.toString(Long.MAX_VALUE);

  static CompiledRule rule(String condition, String alert) {
    return Samples.compileRule(
        """
        rule overflow
          from payments
          partition by cardId
          pattern
            a: %s
          alert "%s"
        """
            .formatted(condition, alert));
  }

  static Event payment(String merchant) {
    return new EventDecoder(Samples.compile().streams().get("payments"))
        .decode("{\"cardId\": \"c\", \"ts\": 0, \"merchant\": \"" + merchant + "\"}")
        .decoded()
        .orElseThrow();
  }

  @SuppressWarnings("unchecked")
  static boolean stageHolds(CompiledRule rule, Event event) throws Exception {
    IterativeCondition<Event> condition = (IterativeCondition<Event>) rule.pattern().getCondition();
    return ((SimpleCondition<Event>) condition).filter(event);
  }

  @Test
  void anOverflowingConditionDoesNotHoldAndIsCounted() throws Exception {
    CompiledRule rule = rule("len(merchant) * " + MAX + " > 0", "x");

    assertThat(stageHolds(rule, payment("a"))).isTrue();
    assertThat(rule.evaluationFailures().count()).isZero();
    assertThat(stageHolds(rule, payment("ab"))).isFalse();
    assertThat(rule.mayStart(payment("ab"))).isFalse();
    assertThat(rule.evaluationFailures().count()).isEqualTo(2);
  }

  @Test
  void aFailureIsNotFalseEitherSoNotDoesNotMakeItHold() throws Exception {
    CompiledRule rule = rule("not (len(merchant) * " + MAX + " > 0)", "x");

    assertThat(stageHolds(rule, payment("ab"))).isFalse();
    assertThat(rule.evaluationFailures().count()).isEqualTo(1);
  }

  @Test
  void integerArithmeticNeverWrapsAround() throws Exception {
    // Wrapped around, `2 * MAX` would be -2 and hold here.
    assertThat(stageHolds(rule("len(merchant) * " + MAX + " < 0", "x"), payment("ab"))).isFalse();
    assertThat(stageHolds(rule("-(len(merchant) - " + MAX + " - 2) > 0", "x"), payment("a")))
        .isFalse();
    assertThat(stageHolds(rule("abs(len(merchant) - " + MAX + " - 2) < 0", "x"), payment("a")))
        .isFalse();
  }

  @Test
  void aFailingTemplateHoleRendersAPlaceholderAndTheRestOfTheMessage() {
    CompiledRule rule =
        rule("merchant != \"\"", "{a.merchant}: {len(a.merchant) * " + MAX + "} on {cardId}");
    Event event = payment("ab");
    RuleKey key = rule.key(event).orElseThrow();

    assertThat(rule.renderAlert(Map.of("a", List.of(event)), key))
        .hasValue("ab: " + EvaluationFailures.PLACEHOLDER + " on c");
    assertThat(rule.renderAlert(Map.of("a", List.of(payment("a"))), key))
        .hasValue("a: " + MAX + " on c");
    assertThat(rule.evaluationFailures().count()).isEqualTo(1);
  }

  @Test
  void eachCompiledVersionCountsItsOwnFailures() throws Exception {
    CompiledRule first = rule("len(merchant) * " + MAX + " > 0", "x");
    CompiledRule second = rule("len(merchant) * " + MAX + " > 0", "x");

    stageHolds(first, payment("ab"));
    assertThat(first.evaluationFailures().count()).isEqualTo(1);
    assertThat(second.evaluationFailures().count()).isZero();
  }
}
