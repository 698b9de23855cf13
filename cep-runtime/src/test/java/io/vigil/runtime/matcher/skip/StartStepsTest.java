package io.vigil.runtime.matcher.skip;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.event.Event;
import io.vigil.compiler.rule.Compilation;
import io.vigil.compiler.rule.RuleCompiler;
import io.vigil.dsl.diagnostic.SourceFile;
import java.util.List;
import org.apache.flink.cep.nfa.NFA;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.junit.jupiter.api.Test;

/** Which patterns let an event that starts a match step the start state alone. */
class StartStepsTest {

  static final String STREAMS =
      """
      stream payments
        time ts
        lateness 5s
        fields
          card: string
          amount: decimal
          country: string
          ts: timestamp
      """;

  private static NFA<Event> nfa(String pattern) {
    Compilation c =
        RuleCompiler.compile(
            List.of(
                new SourceFile("s.vgl", STREAMS),
                new SourceFile(
                    "r.vgl",
                    """
                    rule r
                      from payments
                      partition by card
                      pattern
                        %s
                      within 10m
                      skip past last event
                      alert "x"
                    """
                        .formatted(pattern))));
    assertThat(c.errors()).as(c.render()).isEmpty();
    return NFACompiler.compileFactory(c.rules().get(0).pattern(), false).createNFA();
  }

  @Test
  void aPatternOfTwoStagesCannotCompleteInTheStepThatStartsIt() {
    assertThat(
            StartSteps.applies(
                nfa("a: amount > 10\n    then b: amount > 10 and country != a.country")))
        .isTrue();
    assertThat(StartSteps.applies(nfa("a: amount > 10 {3}\n    next b: amount < 1"))).isTrue();
  }

  @Test
  void oneStageOrAnOptionalRestCanCompleteAtOnce() {
    assertThat(StartSteps.applies(nfa("a: amount > 10"))).isFalse();
    assertThat(StartSteps.applies(nfa("a: amount > 10\n    then b: amount > 10 ?"))).isFalse();
  }
}
