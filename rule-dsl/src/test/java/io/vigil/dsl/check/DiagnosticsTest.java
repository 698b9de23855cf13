package io.vigil.dsl.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.dsl.diagnostic.Diagnostic;
import io.vigil.dsl.diagnostic.SourceFile;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Errors are the product for an analyst: each one says where (file:line:col), what, and what to do.
 * Each case below is a rule with one mistake and the first line of the error it must produce.
 */
class DiagnosticsTest {

  static final String STREAMS =
      """
      stream payments
        time ts
        lateness 5s
        fields
          cardId: string
          amount: decimal
          currency: string
          merchant: string
          country: string
          status: string
          geo.city: string
          ts: timestamp
      stream maintenance
        time ts
        fields
          deviceId: string
          action: string
          ts: timestamp
      """;

  static CheckResult check(String rule) {
    return Checker.check(
        List.of(new SourceFile("streams.vgl", STREAMS), new SourceFile("rule.vgl", rule)));
  }

  static String rule(String pattern, String extra) {
    return "rule r\n  from payments\n  partition by cardId\n  pattern\n    "
        + pattern
        + "\n"
        + extra
        + "\n  alert \"x\"\n";
  }

  @Test
  void aMisspeltFieldIsReportedAtItsPositionWithASuggestionAndACaret() {
    CheckResult result = check(rule("a: amout > 10", ""));

    assertThat(result.errors()).hasSize(1);
    Diagnostic d = result.errors().get(0);
    assertThat(d.headline())
        .isEqualTo("rule.vgl:5:8: error: stream `payments` has no field `amout`");
    assertThat(d.render())
        .isEqualTo(
            """
            rule.vgl:5:8: error: stream `payments` has no field `amout`
                  a: amout > 10
                     ^~~~~
              hint: did you mean `amount`?
            """);
    assertThat(result.program().rules()).isEmpty();
  }

  @Test
  void severalErrorsAreReportedInOneRun() {
    CheckResult result =
        check(
            rule(
                "a: amout > 10 then b: payments(status == 3) then c: contry == \"FR\"",
                "  severity urgent"));

    assertThat(result.errors())
        .extracting(Diagnostic::message)
        .containsExactlyInAnyOrder(
            "unknown severity `urgent`",
            "stream `payments` has no field `amout`",
            "cannot compare a string with a long",
            "stream `payments` has no field `contry`");
  }

  @Test
  void aGoodRuleSurvivesABadOneInTheSameRun() {
    CheckResult result =
        check(
            rule("a: amount > 10", "")
                + "\nrule bad\n  from payments\n  partition by cardId\n  pattern a: nope\n  alert \"x\"\n");

    assertThat(result.program().rules()).extracting(CheckedRule::id).containsExactly("r");
    assertThat(result.errors())
        .extracting(Diagnostic::message)
        .containsExactly("stream `payments` has no field `nope`");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          syntax error                  | a: amount > = 10                                          | | 5:17 | unexpected `=`
          unknown stream                | a: paymnts(amount > 10)                                     | | 5:8  | unknown stream `paymnts`
          looping stage read as one     | t: amount < 2 {3,} then b: amount > t.amount                | within 1m | 5:41 | stage `t` can take several events, so `t.amount` is ambiguous
          later stage referenced        | a: amount > b.amount then b: amount > 1                     | | 5:17 | stage `b` is not matched yet where the condition of stage `a` is evaluated
          key missing in a stream       | a: amount > 1 then b: maintenance(action == "X")            | | 3:16 | stream `maintenance` has no field `cardId` to partition by
          not then last without within  | a: amount > 1 then not b: payments(status == "ACK")         | | 5:19 | `not then` at the end of a pattern needs `within`
          negation after optional       | a: amount > 1 ? then not b: amount > 2 then c: amount > 3   | | 5:21 | `not then` cannot follow an optional stage
          quantified negation           | a: amount > 1 then not b: amount > 2 {2} then c: amount > 3 | | 5:42 | a negated stage stands for one event and takes no quantifier or modifier
          greedy last                   | a: amount > 1 then b: amount > 2 {2,} greedy                | within 1m | 5:43 | `greedy` is not allowed on the last stage of a pattern
          unbounded without within      | a: amount > 1 {2,} then b: amount > 2                       | | 5:19 | the loop `{2,}` is unbounded and the rule has no `within`
          consecutive on single         | a: amount > 1 consecutive then b: amount > 2                | | 5:19 | `consecutive` needs a stage that takes several events
          until on bounded loop         | a: amount > 1 {2,4} until(amount > 5) then b: amount > 2    | | 5:25 | `until` needs an open-ended loop (`+`, `*` or `{n,}`), not `{2,4}`
          contradicting modifiers       | a: amount > 1 {2,4} consecutive any combination then b: amount > 2 | | 5:5 | `consecutive` and `any combination` contradict each other
          empty range                   | a: amount > 1 {4,2} then b: amount > 2                      | | 5:19 | the range `{4,2}` is empty
          duplicate stage               | a: amount > 1 then a: amount > 2                            | | 5:24 | stage `a` is defined twice
          skip to missing stage         | a: amount > 1 then b: amount > 2                            | skip to first c | 6:17 | there is no stage `c` to skip to
          skip to first stage           | a: amount > 1 then b: amount > 2                            | skip to first a | 6:17 | skipping to the first event of a match would find the same match again
          timeout without window        | a: amount > 1 then b: amount > 2                            | on timeout alert "t" | 6:20 | `on timeout alert` needs `within` or `max gap`
          unknown function              | a: abss(amount) > 1                                         | | 5:8 | unknown function `abss`
          first without field           | t: amount < 2 {3} then b: amount > first(t)                 | | 5:40 | `first(...)` is an event: read one of its fields
          bad regex                     | a: merchant matches "([a-z]"                                | | 5:25 | invalid regular expression: missing closing )
          not on a number               | a: not amount                                               | | 5:12 | `not` needs true or false, not a decimal
          condition not boolean         | a: amount + 1                                               | | 5:8 | the condition of stage `a` must be true or false, but this is a decimal
          string test on number         | a: amount contains "1"                                      | | 5:8 | `contains` tests strings, but this is a decimal
          max gap beyond within         | a: amount > 1 then b: amount > 2                            | within 1m max gap 2m | 6:21 | `max gap 2m` is longer than `within 1m`
          optional after greedy         | a: amount > 1 {2,} greedy then b: amount > 2 ? then c: amount > 3 | within 1m | 5:50 | an optional stage cannot follow a `greedy` one
          bare field in template        | a: amount > 1                                               | having amount > 3 | 6:10 | `amount` is neither a partition key nor a stage
          """)
  void eachMistakeIsReportedAtTheRightPlace(
      String mistake, String pattern, String extra, String position, String message) {
    CheckResult result = check(rule(pattern, extra == null ? "" : "  " + extra));

    assertThat(result.errors()).as(result.render()).isNotEmpty();
    Diagnostic first = result.errors().get(0);
    assertThat(first.span().line() + ":" + first.span().column())
        .as(first.render())
        .isEqualTo(position);
    assertThat(first.message()).as(first.render()).startsWith(message);
    assertThat(first.hint()).as("every error has a hint").isPresent();
  }

  @Test
  void aStreamWithAnUnknownTypeSuggestsTheNearestOne() {
    CheckResult result =
        Checker.check(
            List.of(
                new SourceFile(
                    "s.vgl", "stream s\n  time ts\n  fields\n    a: strng\n    ts: timestamp\n")));

    assertThat(result.errors())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.headline()).isEqualTo("s.vgl:4:8: error: unknown type `strng`");
              assertThat(d.hint()).contains("did you mean `string`?");
            });
  }

  @Test
  void streamsDeclaredInOneFileAreVisibleToRulesInAnother() {
    CheckResult result = check(rule("a: geo.city == \"Paris\" then b: amount > 1", ""));

    assertThat(result.render()).isEmpty();
    assertThat(result.program().rules()).hasSize(1);
  }
}
