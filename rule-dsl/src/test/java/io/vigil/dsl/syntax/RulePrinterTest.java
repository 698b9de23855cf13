package io.vigil.dsl.syntax;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.dsl.ast.Declaration;
import io.vigil.dsl.ast.RuleDecl;
import io.vigil.dsl.check.SampleRulesTest;
import io.vigil.dsl.diagnostic.SourceFile;
import org.junit.jupiter.api.Test;

/** The matching signature says whether two versions of a rule match the same events. */
class RulePrinterTest {

  static final String V1 =
      """
      rule card_testing
        title "Card testing"
        severity high
        tags fraud
        partition by cardId
        pattern
          tiny: payments(amount < 2.00 and status == "APPROVED") {3,} consecutive
          then big: payments(amount >= 500)
        within 10m
        skip past last event
        alert "Card {cardId}: {count(tiny)} tiny charges"
      """;

  static RuleDecl rule(String text) {
    SourceParser.Result parsed = SourceParser.parse(new SourceFile("r.vgl", text));
    assertThat(parsed.diagnostics()).isEmpty();
    return (RuleDecl) parsed.declarations().get(0);
  }

  @Test
  void metadataLayoutCommentsAndAlertWordingDoNotChangeTheSignature() {
    String v2 =
        """
        # reworded and re-laid out
        rule card_testing
          title "Card testing (v2)"   severity critical  tags fraud, cards  owner "fraud-team"
          partition by cardId
          pattern tiny: payments((amount < 2.00) and status == "APPROVED") {3,} consecutive then big: payments(amount >= 500)
          within 600s
          skip past last event
          alert "Card {cardId} was tested"
        """;

    assertThat(RulePrinter.matchingSignature(rule(v2)))
        .isEqualTo(RulePrinter.matchingSignature(rule(V1)));
  }

  @Test
  void aChangedConditionWindowOrSkipChangesTheSignature() {
    String base = RulePrinter.matchingSignature(rule(V1));

    assertThat(RulePrinter.matchingSignature(rule(V1.replace("2.00", "3.00")))).isNotEqualTo(base);
    assertThat(RulePrinter.matchingSignature(rule(V1.replace("within 10m", "within 11m"))))
        .isNotEqualTo(base);
    assertThat(RulePrinter.matchingSignature(rule(V1.replace("skip past last event", ""))))
        .isNotEqualTo(base);
    assertThat(RulePrinter.matchingSignature(rule(V1.replace("{3,} consecutive", "{3,}"))))
        .isNotEqualTo(base);
  }

  @Test
  void everySampleRulePrintsToAPatternThatParsesBackToTheSameSignature() throws Exception {
    for (SourceFile file : SampleRulesTest.samples()) {
      for (Declaration d : SourceParser.parse(file).declarations()) {
        if (d instanceof RuleDecl r) {
          String reprinted =
              d.text().substring(0, d.text().indexOf("pattern"))
                  + "pattern "
                  + RulePrinter.sequence(r.pattern().orElseThrow())
                  + "\n"
                  + d.text()
                      .substring(
                          d.text().indexOf("\n  within") >= 0
                              ? d.text().indexOf("\n  within")
                              : d.text().length());
          assertThat(RulePrinter.matchingSignature(rule(reprinted)))
              .as(reprinted)
              .isEqualTo(RulePrinter.matchingSignature(r));
        }
      }
    }
  }

  @Test
  void aDeclarationKeepsItsExactSourceText() {
    String file = "# streams\nstream s\n  time ts\n  fields\n    ts: timestamp\n\n" + V1;

    SourceParser.Result parsed = SourceParser.parse(new SourceFile("f.vgl", file));

    assertThat(parsed.declarations().get(0).text())
        .isEqualTo("stream s\n  time ts\n  fields\n    ts: timestamp");
    assertThat(parsed.declarations().get(1).text()).isEqualTo(V1.strip());
  }
}
