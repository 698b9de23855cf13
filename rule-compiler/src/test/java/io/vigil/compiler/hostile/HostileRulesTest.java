package io.vigil.compiler.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.cli.VigilCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Rules written to hang or crash the checker go through {@code vigil check} as a user would run it:
 * each ends with a diagnostic at its position and exit status 1, never an exception or a hang.
 */
class HostileRulesTest {

  static final Liveness LIVENESS = new Liveness();

  @AfterAll
  static void close() {
    LIVENESS.close();
  }

  record Run(int status, String out, String err) {}

  static Run check(String... args) {
    return LIVENESS.finishes(
        "vigil check",
        () -> {
          var cli = VigilCli.commandLine();
          StringWriter out = new StringWriter();
          StringWriter err = new StringWriter();
          cli.setOut(new PrintWriter(out));
          cli.setErr(new PrintWriter(err));
          int status = VigilCli.run(cli, args);
          return new Run(status, out.toString(), err.toString());
        });
  }

  static String rule(String pattern) {
    return "rule hostile\n  from payments\n  partition by cardId\n  within 10m\n  pattern\n    "
        + pattern
        + "\n  alert \"x\"\n";
  }

  static String expand(String template) {
    return template
        .replace("PARENS", "(".repeat(10_000) + "amount > 1" + ")".repeat(10_000))
        .replace("ORS", String.join(" or ", Collections.nCopies(20_000, "amount > 1")))
        .replace("NOTS", "not ".repeat(20_000) + "amount > 1")
        .replace("GROUPS", "(".repeat(5_000) + "a: amount > 1" + ")".repeat(5_000))
        .replace("LONGSTRING", "\"" + "x".repeat(100_000) + "\"");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          huge quantifier            | a: amount > 1 {100000000}                      | 6:19 | `{100000000}` counts more than 200 events
          overflowing quantifier     | a: amount > 1 {99999999999999999999}           | 6:20 | the count 99999999999999999999 is out of range
          overflowing range          | a: amount > 1 {1,99999999999999999999}         | 6:22 | the count 99999999999999999999 is out of range
          ten thousand parentheses   | a: PARENS                                      | 6:108 | nested more than 100 levels deep
          a long chain of or         | a: ORS                                         | 6:8  | nested more than 100 levels deep
          a long chain of not        | a: NOTS                                        | 6:408 | nested more than 100 levels deep
          deeply nested groups       | GROUPS then b: amount > 1                      | 6:105 | nested more than 100 levels deep
          a huge string              | a: merchant == LONGSTRING                      | 6:20 | this string has 100000 characters
          overflowing integer        | a: amount > 99999999999999999999               | 6:17 | integer 99999999999999999999 is too large
          """)
  void aHostileRuleEndsWithADiagnosticAtItsPosition(
      String name, String pattern, String position, String message, @TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("hostile.vgl");
    Files.writeString(file, rule(expand(pattern)));

    Run run = check("check", "../samples/streams.vgl", file.toString());

    assertThat(run.status()).as(run.err()).isEqualTo(1);
    assertThat(run.err()).startsWith(file + ":" + position + ": error: " + message);
    assertThat(run.err()).contains("  hint: ");
  }

  static String huge(String what) {
    String name = "n".repeat(200_000);
    return switch (what) {
      case "fields" ->
          "stream s time ts fields ts: timestamp "
              + java.util.stream.IntStream.range(0, 60_000)
                  .mapToObj(i -> "f" + i + ": string")
                  .collect(java.util.stream.Collectors.joining(" "));
      case "names" ->
          "stream s time ts fields ts: timestamp k: string "
              + name
              + "a: string\nrule r from s partition by k pattern a: "
              + name
              + "b == \"x\" alert \"x\"";
      case "stages" ->
          "rule r from payments partition by cardId within 1h pattern "
              + java.util.stream.IntStream.range(0, 20_000)
                  .mapToObj(i -> "s" + i + ": amount > " + i)
                  .collect(java.util.stream.Collectors.joining(" then "))
              + " alert \"x\"";
      case "path" ->
          "rule r from payments partition by cardId pattern a: "
              + String.join(".", Collections.nCopies(100_000, "geo"))
              + " == \"x\" alert \"x\"";
      case "in" ->
          "rule r from payments partition by cardId pattern a: merchant in ["
              + String.join(", ", Collections.nCopies(50_000, "nope"))
              + "] alert \"x\"";
      default -> throw new IllegalArgumentException(what);
    };
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          a stream of 60 000 fields           | fields | 1:12916  | stream `s` has more than 1000 fields, the limit `fields`
          two names of 200 000 characters     | names  | 2:41     | stream `s` has no field `nnnnnnnnnn
          a rule of 20 000 stages             | stages | 1:1140   | rule `r` has more than 50 stages, the limit `stages`
          a path of 100 000 segments          | path   | 1:453    | nested more than 100 levels deep
          a list of 50 000 unknown names      | in     | 1:66     | stream `payments` has no field `nope`
          """)
  void aHugeDeclarationEndsWithADiagnostic(
      String name, String what, String position, String message, @TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("hostile.vgl");
    Files.writeString(file, huge(what));

    Run run = check("check", "../samples/streams.vgl", file.toString());

    assertThat(run.status()).as(run.err()).isEqualTo(1);
    assertThat(run.err()).startsWith(file + ":" + position + ": error: " + message);
    assertThat(run.err().length()).isLessThan(1_000_000);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          overflowing lateness  | stream s time ts lateness 99999999999999999999s fields ts: timestamp | 1:27 | `lateness 99999999999999999999s` is out of range
          overflowing within    | rule r from payments partition by cardId within 99999999999999999999d pattern a: amount > 1 alert "x" | 1:49 | `within 99999999999999999999d` is out of range
          backreference         | rule r from payments partition by cardId pattern a: merchant matches "(a)\\\\1" alert "x" | 1:70 | invalid regular expression: invalid escape sequence
          """)
  void aHostileDeclarationEndsWithADiagnosticAtItsPosition(
      String name, String source, String position, String message, @TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("hostile.vgl");
    Files.writeString(file, source);

    Run run = check("check", "../samples/streams.vgl", file.toString());

    assertThat(run.status()).as(run.err()).isEqualTo(1);
    assertThat(run.err()).startsWith(file + ":" + position + ": error: " + message);
  }
}
