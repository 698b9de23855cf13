package io.vigil.runtime.cli;

import static io.vigil.runtime.cli.RunCommandTest.runSamples;
import static io.vigil.runtime.cli.RunCommandTest.vigil;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.alert.AlertJson;
import io.vigil.runtime.cli.RunCommandTest.Ran;
import io.vigil.runtime.replay.CollectedReplay;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    Ran run = runSamples(events, "--parallelism", "2", "--out", out.toString(), "--timings");

    assertThat(run.status()).as(run.err()).isZero();
    CollectedReplay local = RunCommandTest.sampleReplay(events, 2);
    assertThat(Files.readAllLines(out).stream().map(AlertJson::read).map(Alert::alertId).toList())
        .hasSize(3)
        .containsExactlyElementsOf(local.alerts().stream().map(Alert::alertId).toList());
    assertThat(run.err())
        .contains("vigil run: 3 alerts, 3 dead letters, 0 late events")
        .containsPattern("timings \\(ms\\): JVM start to command \\d+, rules read and checked")
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
    Ran run = vigil("run", "--rules", rules.toString(), "--events", events.toString());

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).contains("broken.vgl");
  }
}
