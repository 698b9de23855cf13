package io.vigil.compiler.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.Samples;
import io.vigil.compiler.rule.Compilation;
import io.vigil.compiler.rule.RuleCompiler;
import io.vigil.dsl.diagnostic.Diagnostic;
import io.vigil.dsl.diagnostic.SourceFile;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Whatever the text, checking and compiling it ends with rules or diagnostics at positions inside
 * the source: never an exception, never a hang.
 */
class HostileRulesPropertiesTest {

  static final Liveness LIVENESS = new Liveness();
  static final SourceFile STREAMS =
      Samples.sources().stream()
          .filter(s -> s.name().endsWith("streams.vgl"))
          .findFirst()
          .orElseThrow();

  @AfterContainer
  static void close() {
    LIVENESS.close();
  }

  static void endsWithRulesOrPositionedDiagnostics(String text) {
    SourceFile source = new SourceFile("hostile.vgl", text);
    Compilation c =
        LIVENESS.finishes(
            "compiling " + text.length() + " characters",
            () -> RuleCompiler.compile(List.of(STREAMS, source), Map.of()));
    long lines = text.lines().count();
    for (Diagnostic d : c.diagnostics()) {
      assertThat(d.source()).isIn(STREAMS, source);
      assertThat(d.span().line()).as(d.headline()).isBetween(1, (int) lines + 1);
      assertThat(d.render()).startsWith("hostile.vgl:");
    }
  }

  @Property(tries = 300)
  void randomTokenSoup(@ForAll("tokenSoup") String text) {
    endsWithRulesOrPositionedDiagnostics(text);
  }

  @Property(tries = 60)
  void deeplyNestedRules(@ForAll("deeplyNested") String text) {
    endsWithRulesOrPositionedDiagnostics(text);
  }

  @Property(tries = 200)
  void hugeLiterals(@ForAll("hugeLiterals") String text) {
    endsWithRulesOrPositionedDiagnostics(text);
  }

  @Property(tries = 200)
  void anyText(@ForAll String text) {
    endsWithRulesOrPositionedDiagnostics(text);
  }

  static final List<String> TOKENS =
      List.of(
          "rule",
          "stream",
          "time",
          "lateness",
          "fields",
          "from",
          "payments",
          "partition",
          "by",
          "cardId",
          "pattern",
          "within",
          "max",
          "gap",
          "skip",
          "to",
          "next",
          "past",
          "last",
          "event",
          "having",
          "alert",
          "on",
          "timeout",
          "then",
          "not",
          "any",
          "combination",
          "greedy",
          "consecutive",
          "until",
          "and",
          "or",
          "in",
          "between",
          "contains",
          "matches",
          "startsWith",
          "true",
          "false",
          "null",
          "a:",
          "b:",
          "amount",
          "merchant",
          "count(a)",
          "first(a).amount",
          "(",
          ")",
          "[",
          "]",
          "{",
          "}",
          ",",
          "+",
          "-",
          "*",
          "/",
          "%",
          "==",
          "!=",
          "<",
          "<=",
          ">",
          ">=",
          "?",
          ".",
          ":",
          "\"x\"",
          "\"(.*a){25}\"",
          "\"{a.amount}\"",
          "1",
          "0",
          "3",
          "1.5",
          "10m",
          "0s",
          "#",
          "\n",
          "\"",
          "\\");

  @Provide
  Arbitrary<String> tokenSoup() {
    Arbitrary<String> soup =
        Arbitraries.of(TOKENS).list().ofMaxSize(120).map(tokens -> String.join(" ", tokens));
    Arbitrary<String> prefixed =
        soup.map(s -> "rule r from payments partition by cardId pattern a: " + s);
    return Arbitraries.oneOf(soup, prefixed);
  }

  @Provide
  Arbitrary<String> deeplyNested() {
    Arbitrary<Integer> depth = Arbitraries.integers().between(1, 20_000);
    Arbitrary<String> wrapper =
        Arbitraries.of(
            "( | )",
            "not ( | )",
            "- | ",
            "not | ",
            "[ | ]",
            "abs( | )",
            "x in [ | ]",
            "( | ) or amount > 1",
            "amount == not | ");
    Arbitrary<String> condition =
        Combinators.combine(depth, wrapper)
            .as(
                (n, w) -> {
                  String[] parts = w.split("\\|", -1);
                  return parts[0].repeat(n) + "amount > 1" + parts[1].repeat(n);
                });
    Arbitrary<String> chain =
        Combinators.combine(depth, Arbitraries.of(" or ", " + ", " and ", " * "))
            .as((n, op) -> String.join(op, java.util.Collections.nCopies(n, "amount > 1")));
    Arbitrary<String> groups =
        depth.map(n -> "(".repeat(n) + "a: amount > 1" + ") {2}".repeat(n) + " then b: amount > 1");
    Arbitrary<String> stagePattern = Arbitraries.oneOf(condition, chain).map(c -> "a: " + c);
    return Arbitraries.oneOf(stagePattern, groups)
        .map(
            p ->
                "rule r\n  from payments\n  partition by cardId\n  within 1h\n  pattern\n    "
                    + p
                    + "\n  alert \"{count(a)}\"\n");
  }

  @Provide
  Arbitrary<String> hugeLiterals() {
    Arbitrary<String> digits =
        Arbitraries.strings()
            .numeric()
            .ofMinLength(1)
            .ofMaxLength(60)
            .map(d -> d.isEmpty() ? "1" : d);
    Arbitrary<String> longString = Arbitraries.integers().between(0, 30_000).map("y"::repeat);
    return Arbitraries.oneOf(
        digits.map(d -> rule("a: amount > 1 {" + d + "}", "within 1m")),
        digits.map(d -> rule("a: amount > 1 {1," + d + "}", "within 1m")),
        digits.map(d -> rule("a: amount > 1 {" + d + ",}", "within 1m")),
        digits.map(d -> rule("(a: amount > 1 {" + d + "}) {" + d + "}", "within 1m")),
        digits.map(d -> rule("a: amount > " + d, "")),
        digits.map(d -> rule("a: amount > " + d + "." + d, "")),
        digits.map(d -> rule("a: amount > 1", "within " + d + "d")),
        digits.map(d -> rule("a: amount > 1", "max gap " + d + "ms")),
        digits.map(d -> "stream s time ts lateness " + d + "h fields ts: timestamp\n"),
        longString.map(s -> rule("a: merchant == \"" + s + "\"", "")),
        longString.map(s -> rule("a: merchant matches \"" + s + "\"", "")),
        digits.map(
            d -> rule("a: merchant matches \"((a{" + d + "}){" + d + "}){" + d + "}\"", "")));
  }

  static String rule(String pattern, String clause) {
    return "rule r\n  from payments\n  partition by cardId\n  "
        + clause
        + "\n  pattern\n    "
        + pattern
        + "\n  alert \"x\"\n";
  }
}
