package io.vigil.compiler.condition;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.Samples;
import io.vigil.compiler.event.Event;
import io.vigil.compiler.event.EventDecoder;
import io.vigil.compiler.hostile.Liveness;
import io.vigil.compiler.rule.Compilation;
import io.vigil.compiler.rule.CompiledRule;
import io.vigil.dsl.check.CheckedPattern;
import io.vigil.dsl.diagnostic.Diagnostic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@code matches} runs on RE2/J: an expression that backtracks exponentially in java.util.regex
 * ({@code (.*a){25}} on forty {@code a}s and a {@code !}) is decided at once, and correctly.
 */
class MatchesInLinearTimeTest {

  static final Liveness LIVENESS = new Liveness();

  static final String RULE =
      """
      rule redos
        from payments
        partition by cardId
        pattern
          a: merchant matches "(.*a){25}"
        alert "x"
      """;

  @AfterAll
  static void close() {
    LIVENESS.close();
  }

  static boolean holds(CompiledRule rule, String merchant) {
    CheckedPattern.Stage stage = rule.checked().pattern().stages().get(0);
    Event event =
        new EventDecoder(ConditionSemanticsTest.PAYMENTS)
            .decode("{\"cardId\": \"c\", \"ts\": 0, \"merchant\": \"" + merchant + "\"}")
            .decoded()
            .orElseThrow();
    return LIVENESS.finishes(
        "matching " + merchant,
        () -> ExpressionCompiler.condition(stage.condition()).test(event, MatchView.NONE));
  }

  @Test
  void theReDoSEventIsDecidedPromptlyAndCorrectly() {
    CompiledRule rule = Samples.compileRule(RULE);

    assertThat(holds(rule, "a".repeat(40) + "!")).isFalse();
    assertThat(holds(rule, "a".repeat(40))).isTrue();
    assertThat(holds(rule, "a".repeat(24))).isFalse();
  }

  @Test
  void theWholeStringMustMatch() {
    CompiledRule rule = Samples.compileRule(RULE.replace("(.*a){25}", "AC[A-Z]+"));

    assertThat(holds(rule, "ACME")).isTrue();
    assertThat(holds(rule, "xACME")).isFalse();
  }

  @Test
  void aBackreferenceIsReportedAtTheLiteralByTheCompiler() {
    Compilation c = Samples.compileWithSampleStreams(RULE.replace("(.*a){25}", "(a)\\\\1"));

    assertThat(c.rules()).isEmpty();
    Diagnostic d = c.errors().get(0);
    assertThat(d.headline())
        .isEqualTo(
            "test.vgl:5:25: error: invalid regular expression: invalid escape sequence: `\\1`");
    assertThat(d.hint().orElseThrow()).contains("RE2").contains("backreferences");
  }
}
