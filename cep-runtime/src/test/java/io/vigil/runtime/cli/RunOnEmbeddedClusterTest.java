package io.vigil.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.runtime.Samples;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.alert.AlertJson;
import io.vigil.runtime.replay.CollectedReplay;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil run} as from the command line (no Flink context around it): on its own embedded
 * cluster, started while the rules are checked, it gives the alerts of a replay on Flink's default
 * local environment.
 */
class RunOnEmbeddedClusterTest {

  @TempDir Path dir;

  @Test
  void theEmbeddedClusterGivesTheAlertsOfTheDefaultLocalEnvironment() throws Exception {
    Path events = dir.resolve("events.jsonl");
    Files.write(events, RunCommandTest.EVENTS);
    Path out = dir.resolve("alerts.jsonl");
    StringWriter err = new StringWriter();
    CommandLine cli = VigilMain.commandLine();
    cli.setErr(new PrintWriter(err));

    int status =
        cli.execute(
            "run",
            "--rules",
            Samples.dir().toString(),
            "--events",
            events.toString(),
            "--parallelism",
            "2",
            "--out",
            out.toString(),
            "--timings");

    assertThat(status).as(err.toString()).isZero();
    CollectedReplay local =
        CollectedReplay.of(
            io.vigil.runtime.control.RuleSources.commands(
                io.vigil.compiler.cli.RuleFiles.read(List.of(Samples.dir())), 1),
            events,
            2);
    assertThat(Files.readAllLines(out).stream().map(AlertJson::read).map(Alert::alertId).toList())
        .hasSize(3)
        .containsExactlyElementsOf(local.alerts().stream().map(Alert::alertId).toList());
    assertThat(err.toString())
        .contains("vigil run: 3 alerts, 3 dead letters, 0 late events")
        .containsPattern("timings \\(ms\\): process start to command \\d+, rules read and checked")
        .contains("job built ")
        .contains("cluster ready ")
        .containsPattern("JVM \\(ms\\): CPU \\d+, collector \\d+ in \\d+ collections, JIT \\d+");
  }

  @Test
  void aRuleErrorEndsTheRunWithItsDiagnostics() throws Exception {
    Path rules = dir.resolve("broken.vgl");
    Files.writeString(rules, "rule nothing_here {");
    Path events = dir.resolve("events.jsonl");
    Files.write(events, RunCommandTest.EVENTS);
    StringWriter err = new StringWriter();
    CommandLine cli = VigilMain.commandLine();
    cli.setErr(new PrintWriter(err));

    int status = cli.execute("run", "--rules", rules.toString(), "--events", events.toString());

    assertThat(status).isEqualTo(1);
    assertThat(err.toString()).contains("broken.vgl");
  }
}
