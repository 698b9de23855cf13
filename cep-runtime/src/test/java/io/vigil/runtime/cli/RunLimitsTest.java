package io.vigil.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.alert.AlertJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil run --limit NAME=VALUE}: the limits of {@code vigil check}, for a replay. */
class RunLimitsTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @TempDir Path dir;

  static final String RULES =
      """
      stream taps
        time ts
        lateness 0s
        fields
          id: string
          ts: timestamp

      rule many_taps
        from taps
        partition by id
        pattern
          t: true {250}
        alert "250 taps on {id}"
      """;

  record Run(int status, String err, Path out) {}

  Run run(String... limits) throws Exception {
    Path rules = dir.resolve("taps.vgl");
    Files.writeString(rules, RULES);
    Path events = dir.resolve("taps.jsonl");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      lines.add("{\"stream\":\"taps\",\"event\":{\"id\":\"x\",\"ts\":" + (1_000 * i) + "}}");
    }
    Files.write(events, lines);
    Path out = dir.resolve("alerts.jsonl");
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "--rules",
                rules.toString(),
                "--events",
                events.toString(),
                "--out",
                out.toString()));
    for (String limit : limits) {
      args.add("--limit");
      args.add(limit);
    }
    StringWriter err = new StringWriter();
    CommandLine cli = VigilMain.commandLine();
    cli.setErr(new PrintWriter(err));
    int status = cli.execute(args.toArray(String[]::new));
    return new Run(status, err.toString(), out);
  }

  @Test
  void aRuleBeyondTheDefaultLimitIsRefusedWithTheDiagnosticOfCheck() throws Exception {
    Run run = run();

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).contains("taps.vgl:12:").contains("`{250}` counts more than 200 events");
  }

  @Test
  void aRaisedLimitLetsTheRuleCompileAndRunInTheReplay() throws Exception {
    Run run = run("quantifier=300");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(Files.readAllLines(run.out()).stream().map(AlertJson::read))
        .extracting(Alert::message)
        .containsExactly("250 taps on x");
  }

  @Test
  void anUnknownLimitIsAUsageError() throws Exception {
    Run run = run("quantifer=300");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("quantifer");
  }
}
