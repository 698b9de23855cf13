package io.vigil.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.runtime.Samples;
import io.vigil.runtime.cli.StandInCli.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./vigil} called from another directory runs the CLI there: the paths a user gives are read
 * and written relative to the directory they called it from, not to the repository's; called
 * through a link (e.g. on the {@code PATH}), it still finds the repository it lies in.
 *
 * <p>An integration test (failsafe, after {@code package}): the launcher runs the jar just
 * packaged, which is newer than the sources, so it builds nothing.
 */
class LauncherWorkingDirectoryIT {

  private static final Path VIGIL = Path.of("..", "vigil").toAbsolutePath().normalize();

  /** No file of the launcher's beside the build's jar: these runs are not what it should learn. */
  private static final Map<String, String> NO_ARCHIVE = Map.of("VIGIL_CLASS_ARCHIVE", "off");

  @TempDir Path dir;

  @Test
  void checkReadsTheRulesAtAPathRelativeToTheCallersDirectory() throws Exception {
    Files.createDirectories(dir.resolve("rules"));
    Files.copy(Samples.dir().resolve("streams.vgl"), dir.resolve("rules/streams.vgl"));

    Outcome check = vigil("check", "rules/streams.vgl");

    assertThat(check.status()).as(check.err()).isZero();
    assertThat(check.out()).contains("checked 1 file");
  }

  @Test
  void runReadsAndWritesItsFilesRelativeToTheCallersDirectory() throws Exception {
    Files.createDirectories(dir.resolve("rules"));
    Files.copy(Samples.dir().resolve("streams.vgl"), dir.resolve("rules/streams.vgl"));
    try (var rules = Files.list(Samples.dir().resolve("fraud"))) {
      for (Path rule : rules.filter(p -> p.toString().endsWith(".vgl")).toList()) {
        Files.copy(rule, dir.resolve("rules").resolve(rule.getFileName()));
      }
    }
    Files.copy(Samples.dir().resolve("events/fraud.jsonl"), dir.resolve("events.jsonl"));

    Outcome run =
        vigil("run", "--rules", "rules", "--events", "events.jsonl", "--out", "alerts.jsonl");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(Files.readAllLines(dir.resolve("alerts.jsonl"))).isNotEmpty();
  }

  @Test
  void aLinkToTheLauncherFromAnotherDirectoryRunsTheRepositorysCli() throws Exception {
    Path link =
        Files.createSymbolicLink(
            Files.createDirectories(dir.resolve("bin")).resolve("vigil"), VIGIL);
    Files.copy(Samples.dir().resolve("streams.vgl"), dir.resolve("streams.vgl"));

    Outcome check = run(link, "check", "streams.vgl");

    assertThat(check.status()).as(check.err()).isZero();
    assertThat(check.out()).contains("checked 1 file");
  }

  private Outcome vigil(String... args) throws Exception {
    return run(VIGIL, args);
  }

  private Outcome run(Path launcher, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", launcher.toString()));
    command.addAll(List.of(args));
    return StandInCli.execute(command, NO_ARCHIVE, dir);
  }
}
