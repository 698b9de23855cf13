package io.vigil.dsl.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.dsl.diagnostic.Diagnostic;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.limits.Limits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A rule beyond a limit gets an ordinary diagnostic at the culprit, with the limit's name and a
 * hint; the rule is left out of the program, so nothing downstream compiles it.
 */
class LimitsDiagnosticsTest {

  static CheckResult check(String rule, Limits limits) {
    return Checker.check(
        List.of(
            new SourceFile("streams.vgl", DiagnosticsTest.STREAMS),
            new SourceFile("rule.vgl", rule)),
        Map.of(),
        limits);
  }

  static CheckResult check(String rule) {
    return check(rule, Limits.defaults());
  }

  static String rule(String pattern, String extra) {
    return DiagnosticsTest.rule(pattern, extra);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          huge count                 | a: amount > 1 {100000000}                          | within 1m | 5:19 | `{100000000}` counts more than 200 events, the limit `quantifier`
          count beyond an int        | a: amount > 1 {99999999999} then b: amount > 2     | within 1m | 5:20 | the count 99999999999 is out of range
          huge range                 | a: amount > 1 {1,600}                              | within 1m | 5:19 | `{1,600}` counts more than 200 events
          huge open loop             | a: amount > 1 {600,}                               | within 1m | 5:19 | `{600,}` counts more than 200 events
          repeated groups multiply   | (a: amount > 1 {1,100} then b: amount > 2) {20}    | within 1m | 5:20 | with its repetitions the pattern has more than 300 stages, the limit `pattern-size`
          within beyond the window   | a: amount > 1                                      | within 400d | 6:10 | `within 400d` is longer than 366d, the limit `window`
          max gap beyond the window  | a: amount > 1                                      | max gap 9999d | 6:11 | `max gap 9999d` is longer than 366d
          within out of range        | a: amount > 1                                      | within 99999999999999999999s | 6:10 | `within 99999999999999999999s` is out of range
          backreference              | a: merchant matches "(a)\\\\1"                     | | 5:25 | invalid regular expression: invalid escape sequence
          lookahead                  | a: merchant matches "a(?=b)"                       | | 5:25 | invalid regular expression: invalid or unsupported Perl syntax
          possessive                 | a: merchant matches "a*+"                          | | 5:25 | invalid regular expression: invalid nested repetition operator
          nested regex repetitions   | a: merchant matches "((a{1000}){1000}){1000}"      | | 5:25 | this regular expression expands to more than 1000 steps, the limit `regex-size`
          """)
  void eachLimitIsReportedAtTheCulpritWithAHint(
      String limit, String pattern, String extra, String position, String message) {
    CheckResult result = check(rule(pattern, extra == null ? "" : "  " + extra));

    assertThat(result.errors()).as(result.render()).hasSize(1);
    Diagnostic d = result.errors().get(0);
    assertThat(d.span().line() + ":" + d.span().column()).as(d.render()).isEqualTo(position);
    assertThat(d.message()).as(d.render()).startsWith(message);
    assertThat(d.hint()).as("every limit error has a hint").isPresent();
    assertThat(result.program().rules()).isEmpty();
  }

  @Test
  void unsupportedRegexSyntaxIsExplainedAsRe2() {
    Diagnostic d = check(rule("a: merchant matches \"(a)\\\\1\"", "")).errors().get(0);

    assertThat(d.hint().orElseThrow()).contains("RE2").contains("backreferences");
  }

  @Test
  void theReDoSExpressionOfTheIssueIsAcceptedBecauseRe2RunsItInLinearTime() {
    CheckResult result = check(rule("a: merchant matches \"(.*a){25}\"", ""));

    assertThat(result.render()).isEmpty();
    assertThat(result.program().rules()).hasSize(1);
  }

  @Test
  void aStreamWithAnOverflowingLatenessIsADiagnosticNotAnException() {
    CheckResult result =
        Checker.check(
            List.of(
                new SourceFile(
                    "s.vgl",
                    "stream s\n  time ts\n  lateness 99999999999999999999s\n  fields\n"
                        + "    ts: timestamp\n")));

    assertThat(result.errors())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.headline())
                  .isEqualTo("s.vgl:3:12: error: `lateness 99999999999999999999s` is out of range");
              assertThat(d.hint()).contains("`lateness` allows at most 31d (the limit `lateness`)");
            });
    assertThat(result.program().streams()).doesNotContainKey("s");
  }

  @Test
  void aLatenessBeyondTheLimitIsReportedAtTheDuration() {
    CheckResult result =
        Checker.check(
            List.of(
                new SourceFile(
                    "s.vgl",
                    "stream s\n  time ts\n  lateness 90d\n  fields\n    ts: timestamp\n")));

    assertThat(result.errors())
        .singleElement()
        .satisfies(
            d ->
                assertThat(d.headline())
                    .isEqualTo(
                        "s.vgl:3:12: error: `lateness 90d` is longer than 31d, the limit"
                            + " `lateness`"));
  }

  @Test
  void tooManyStagesAreReportedAtTheFirstOneBeyondTheLimit() {
    StringBuilder pattern = new StringBuilder("s0: amount > 0");
    for (int i = 1; i < 4; i++) {
      pattern.append(" then s").append(i).append(": amount > ").append(i);
    }
    CheckResult result = check(rule(pattern.toString(), ""), Limits.defaults().withStages(3));

    assertThat(result.errors())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.message())
                  .isEqualTo("rule `r` has more than 3 stages, the limit `stages`");
              assertThat(d.span().column()).isEqualTo(pattern.indexOf("s3") + 5);
            });
  }

  @Test
  void deepNestingIsReportedWhereTheLimitIsCrossedWithoutReachingTheParser() {
    String condition = "(".repeat(10_000) + "amount > 1" + ")".repeat(10_000);
    CheckResult result = check(rule("a: " + condition, ""));

    assertThat(result.errors())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.message())
                  .isEqualTo("nested more than 100 levels deep, the limit `nesting-depth`");
              assertThat(d.span().line() + ":" + d.span().column()).isEqualTo("5:108");
            });
  }

  @Test
  void longOperatorChainsCountAsNesting() {
    String chain = String.join(" or ", java.util.Collections.nCopies(5_000, "amount > 1"));
    CheckResult result = check(rule("a: " + chain, ""));

    assertThat(result.errors())
        .singleElement()
        .satisfies(d -> assertThat(d.message()).startsWith("nested more than 100 levels deep"));
  }

  @Test
  void nestingWithinTheLimitIsAccepted() {
    String condition = "(".repeat(40) + "amount > 1" + ")".repeat(40);
    CheckResult result = check(rule("a: " + condition + " and not not amount > 2", ""));

    assertThat(result.render()).isEmpty();
  }

  @Test
  void runningOutOfStackDespiteRaisedLimitsIsStillADiagnostic() {
    String condition = "(".repeat(100_000) + "amount > 1" + ")".repeat(100_000);
    CheckResult result =
        check(rule("a: " + condition, ""), Limits.defaults().withNestingDepth(1_000_000));

    assertThat(result.errors())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.headline())
                  .isEqualTo("rule.vgl:1:1: error: this source is nested too deeply to be read");
              assertThat(d.hint()).isPresent();
            });
  }

  @Test
  void negationsInManyStagesAreNotNesting() {
    StringBuilder pattern = new StringBuilder("s0: amount > -1");
    for (int i = 1; i < 45; i++) {
      pattern.append(" then not s").append(i).append(": amount > -").append(i);
      pattern.append(" then t").append(i).append(": not not amount > - -").append(i);
    }
    CheckResult result =
        check(rule(pattern.toString(), "  within 1h"), Limits.defaults().withStages(100));

    assertThat(result.render()).isEmpty();
  }

  @Test
  void aGarbledFileStopsAfterTheErrorLimit() {
    String garbled = "rule r pattern a: 1 > then b: ".repeat(3_000);
    CheckResult result = check(garbled);

    assertThat(result.errors()).hasSize(100);
    assertThat(result.errors().get(99).message())
        .isEqualTo("too many syntax errors: reading stopped here");
    assertThat(check(garbled, Limits.defaults().withErrors(10)).errors()).hasSize(10);
  }

  @Test
  void aVeryLongLineIsShownAroundTheCaret() {
    String garbled = "rule r pattern a: 1 > then b: ".repeat(3_000);
    Diagnostic fiftieth = check(garbled).errors().get(49);

    String[] rendered = fiftieth.render().split("\n");
    assertThat(rendered[1]).hasSizeLessThan(170).startsWith("  …").endsWith("…");
    int caret = rendered[2].indexOf('^');
    int column = fiftieth.span().column();
    assertThat(column).isGreaterThan(200);
    assertThat(rendered[1].substring(caret)).startsWith(garbled.substring(column - 1, column + 9));
  }

  @Test
  void aLongStringLiteralIsReportedAtTheLiteral() {
    String s = "x".repeat(10_001);
    CheckResult result = check(rule("a: merchant == \"" + s + "\"", ""));

    assertThat(result.errors())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.message())
                  .isEqualTo(
                      "this string has 10001 characters, more than the limit `string-length` of"
                          + " 10000");
              assertThat(d.span().line() + ":" + d.span().column()).isEqualTo("5:20");
            });
  }

  @Test
  void aSourceBeyondTheSizeLimitIsReportedWhereItIsCrossed() {
    String text = rule("a: amount > 1", "") + "# " + "é".repeat(1_000);
    CheckResult result = check(text, Limits.defaults().withSourceBytes(text.length()));

    assertThat(result.errors())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.message()).startsWith("the source is longer than");
              assertThat(d.span().line()).isEqualTo(8);
            });
  }

  @Test
  void limitsAreConfigurable() {
    String pattern = "a: amount > 1 {250}";

    assertThat(check(rule(pattern, "  within 1m")).hasErrors()).isTrue();
    assertThat(check(rule(pattern, "  within 1m"), Limits.defaults().withQuantifier(250)).render())
        .isEmpty();
    assertThat(
            check(rule("a: amount > 1", "  within 400d"), Limits.defaults().with("window", "400d"))
                .render())
        .isEmpty();
  }

  @Test
  void limitOptionsAreNamedAndValidated() {
    assertThat(Limits.defaults().with("quantifier", "7").quantifier()).isEqualTo(7);
    assertThat(Limits.defaults().with("lateness", "12h").lateness())
        .isEqualTo(Duration.ofHours(12));
    assertThatThrownBy(() -> Limits.defaults().with("quantifer", "7"))
        .hasMessageContaining("unknown limit `quantifer`");
    assertThatThrownBy(() -> Limits.defaults().with("stages", "0")).hasMessageContaining("stages");
    assertThatThrownBy(() -> Limits.defaults().with("window", "ten days"))
        .hasMessageContaining("window");
    assertThat(Limits.OPTIONS).hasSize(Limits.class.getRecordComponents().length);
  }
}
