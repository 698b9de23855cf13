package io.vigil.compiler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class VigilCliTest {

  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    CommandLine cli = VigilCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int status = VigilCli.run(cli, args);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void checkCompilesAllSamplesTogether() {
    Run r = run("check", "../samples");
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .isEqualTo(
            "checked 12 files: 4 streams, 9 rules compiled, 2 DRL rule sets, 0 errors, 0 warnings\n");
    assertThat(r.status()).isZero();
  }

  @Test
  void checkSeesStreamsDeclaredInAnotherFile(@TempDir Path dir) throws IOException {
    Path rule = dir.resolve("mine.vgl");
    Files.writeString(
        rule,
        """
        rule hot
          severity low
          from readings
          partition by deviceId
          pattern
            a: temperature > 1
          alert "{a.temperature}"
        """);
    assertThat(run("check", "../samples/streams.vgl", rule.toString()).status()).isZero();
    Run alone = run("check", rule.toString());
    assertThat(alone.status()).isEqualTo(1);
    assertThat(alone.err()).contains(rule + ":3:8: error:");
  }

  @Test
  void checkRendersEveryErrorWithCaretAndExitsNonZero(@TempDir Path dir) throws IOException {
    Path rule = dir.resolve("bad.vgl");
    Files.writeString(
        rule,
        """
        rule bad
          severity low
          from readings
          partition by deviceId
          pattern
            a: temprature > 1
            then b: vibration > "x"
          alert "x"
        """);
    Run r = run("check", "../samples/streams.vgl", rule.toString());
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).contains(rule + ":6:8: error:").contains("^").contains("temperature");
    assertThat(r.err()).contains(rule + ":7:");
    assertThat(r.out()).contains("0 rules compiled, 2 errors");
  }

  @Test
  void checkCompilesDrlAgainstTheStreamsOfTheVglFilesAndRendersItsErrorsLikeTheLanguage(
      @TempDir Path dir) throws IOException {
    Path drl = dir.resolve("hot.drl");
    Files.writeString(
        drl,
        """
        // vigil: streams readings
        rule "hot"
        when
          $r : readings( temprature > 90 )
        then
          alerts.raise("hot").severity("high");
        end
        """);
    Run r = run("check", "../samples/streams.vgl", drl.toString());
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            drl
                + ":4:18: error: stream readings has no field 'temprature'\n"
                + "    $r : readings( temprature > 90 )\n"
                + "                   ^~~~~~~~~~\n"
                + "  hint: did you mean `temperature`?\n");
    assertThat(r.out()).contains("1 error");

    Files.writeString(drl, Files.readString(drl).replace("temprature", "temperature"));
    Run fixed = run("check", "../samples/streams.vgl", drl.toString());
    assertThat(fixed.err()).isEmpty();
    assertThat(fixed.out()).contains("1 DRL rule set, 0 errors");
    assertThat(fixed.status()).isZero();
  }

  @Test
  void explainShowsPatternAndSqlOrWhyNot() {
    Run r = run("explain", "../samples");
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .contains("rule card_testing (high): Card testing: tiny approved charges, then a large one")
        .contains(
            "begin(\"tiny\", skipPastLastEvent()).where(payments: amount < 2.00 and status == \"APPROVED\").timesOrMore(3).consecutive()")
        .contains("PATTERN (tiny{3,} vigil_gap*? big) WITHIN INTERVAL '10' MINUTE")
        .contains("big AS big.amount >= 500 AND big.currency = FIRST(tiny.currency)")
        .contains("Flink SQL: no MATCH_RECOGNIZE equivalent:\n    - `then any` (followedByAny)")
        .contains("WHERE vigil_having");
  }

  @Test
  void explainSaysWhatADrlRuleSetBinds() {
    Run r = run("explain", "../samples");
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .contains("DRL rule set ../samples/drools/iot_maintenance_escalation.drl\n")
        .contains("  streams      readings\n")
        .contains("  partition by deviceId\n")
        .contains("  evaluation   stateless: each event alone\n")
        .contains(
            "    readings(eventId: String, deviceId: String, site: String, temperature: Double")
        .contains("  globals      alerts: io.vigil.compiler.drools.DecisionAlerts\n")
        .contains("\"very hot: page on-call\"");
  }

  @Test
  void checkTakesLimitOverrides(@TempDir Path dir) throws IOException {
    Path rule = dir.resolve("many.vgl");
    Files.writeString(
        rule,
        """
        rule many
          from readings
          partition by deviceId
          within 2d
          pattern
            a: temperature > 1 {250}
          alert "x"
        """);

    Run strict = run("check", "../samples/streams.vgl", rule.toString());
    assertThat(strict.status()).isEqualTo(1);
    assertThat(strict.err())
        .startsWith(
            rule + ":6:24: error: `{250}` counts more than 200 events, the limit `quantifier`");

    Run raised =
        run("check", "--limit", "quantifier=250", "../samples/streams.vgl", rule.toString());
    assertThat(raised.err()).isEmpty();
    assertThat(raised.status()).isZero();

    Run lowered =
        run(
            "check",
            "--limit",
            "window=1d",
            "../samples/streams.vgl",
            "--limit",
            "quantifier=250",
            rule.toString());
    assertThat(lowered.err())
        .contains(":4:10: error: `within 2d` is longer than 1d, the limit `window`");
  }

  @Test
  void anUnknownLimitIsAUsageError() {
    Run r = run("check", "--limit", "quantifer=5", "../samples/streams.vgl");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("unknown limit `quantifer`").contains("quantifier");
  }

  @Test
  void missingFileIsAUsageError() {
    Run r = run("check", "does/not/exist.vgl");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("cannot read does/not/exist.vgl");
  }

  @Test
  void otherModulesCanAddSubcommands() {
    @CommandLine.Command(name = "hello")
    class Hello implements java.util.concurrent.Callable<Integer> {
      @Override
      public Integer call() {
        return 7;
      }
    }
    CommandLine cli = VigilCli.commandLine().addSubcommand("hello", new Hello());
    assertThat(VigilCli.run(cli, "hello")).isEqualTo(7);
  }
}
