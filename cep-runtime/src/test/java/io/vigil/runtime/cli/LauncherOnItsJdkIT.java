package io.vigil.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.runtime.Samples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged CLI as {@code ./vigil} runs it, on the JDK the launcher chooses on this machine
 * ({@code launcher/java-select.sh}: 25 or later where there is one, with its ahead-of-time cache;
 * else {@code java} with its class data archive), with the options it chooses ({@code
 * launcher/run-options.sh}) and its cache or archive ({@code launcher/class-archive.sh}), all
 * through {@code launcher/cli.sh}: {@code vigil run} of every sample rule (patterns and DRL rule
 * sets) over the sample events prints on stdout exactly the alerts the same jar prints on the JVM
 * of the tests without an archive, both on the run that records the file and on the run that loads
 * it, and nothing else; on stderr no warning of the JVM, and no word of the file where it is
 * loaded.
 *
 * <p>An integration test (failsafe, after {@code package}): the jar exists only then. The jar and
 * the RPC jar beside it are copied, so that the file the launcher writes beside them stays here.
 */
class LauncherOnItsJdkIT {

  private static final Path BUILT_JAR =
      Path.of(System.getProperty("vigil.jar", "target/vigil.jar")).toAbsolutePath();
  private static final Path LAUNCHER = Path.of("..", "launcher").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String THIS_JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @TempDir Path dir;

  record Run(int status, List<String> out, String err) {}

  @Test
  void theChosenJdkPrintsTheAlertsOfTheTestsJvmWhenItRecordsItsFileAndWhenItLoadsIt()
      throws Exception {
    Path jar = dir.resolve("vigil.jar");
    Files.copy(BUILT_JAR, jar);
    Files.copy(BUILT_JAR.resolveSibling("flink-rpc-akka.jar"), dir.resolve("flink-rpc-akka.jar"));
    // The launcher runs in the test's directory: the samples' paths are absolute.
    Path samples = Samples.dir().toAbsolutePath();
    List<String> args =
        List.of(
            "run",
            "--rules",
            samples.toString(),
            "--events",
            samples.resolve("events/fraud.jsonl").toString());

    Run expected = launch(jar, Map.of("CLI_JAVA", THIS_JAVA, "VIGIL_CLASS_ARCHIVE", "off"), args);
    assertThat(expected.status()).as(expected.err()).isZero();
    List<String> expectedIds = alertIds(expected);
    assertThat(expectedIds).hasSizeGreaterThan(5);

    Run recording = launch(jar, Map.of(), args);
    assertThat(recordedFiles()).as(recording.err()).hasSize(1);
    Run loading = launch(jar, Map.of(), args);

    for (Run run : List.of(recording, loading)) {
      assertThat(run.status()).as(run.err()).isZero();
      assertThat(alertIds(run)).containsExactlyElementsOf(expectedIds);
      assertThat(run.err()).doesNotContainIgnoringCase("warning");
    }
    // The recording's note goes to stderr; a run that loads the file says nothing of it.
    assertThat(loading.err()).doesNotContain("AOT", "CDS", "shared");
  }

  /** The ids of the alerts on stdout, every line of which must be an alert. */
  private static List<String> alertIds(Run run) throws Exception {
    List<String> ids = new ArrayList<>();
    for (String line : run.out()) {
      JsonNode alert = JSON.readTree(line);
      assertThat(alert.path("alertId").isTextual()).as(line).isTrue();
      ids.add(alert.path("alertId").asText());
    }
    return ids.stream().sorted().toList();
  }

  /** The cache or archive the launcher wrote beside the jar. */
  private List<Path> recordedFiles() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().matches("vigil\\..*\\.(aot|jsa)"))
          .toList();
    }
  }

  /** {@code ./vigil ARGS} with the jar {@code jar}: the launcher's choices, as {@code ./vigil}. */
  private Run launch(Path jar, Map<String, String> env, List<String> args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add("-c");
    command.add(
        """
        set -euo pipefail
        source "$0/java-opens.sh"
        source "$0/cli.sh"
        run_cli "$@"
        """);
    command.add(LAUNCHER.toString());
    command.add(jar.toString());
    command.addAll(args);
    StandInCli.Outcome run = StandInCli.execute(command, env, dir);
    return new Run(run.status(), run.out().lines().toList(), run.err());
  }
}
