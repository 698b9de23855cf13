package io.vigil.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.runtime.cli.StandInCli.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's ahead-of-time cache ({@code launcher/class-archive.sh}) on a JDK of version 25 or
 * later, the one {@code ./vigil} chooses on this machine ({@code launcher/java-select.sh}), with a
 * small stand-in for {@code vigil.jar}: the first {@code run} leaves a cache beside the jar, with
 * method profiles where the run used C2 and without where it ran on C1 only; a run with C2 replaces
 * a cache without profiles; other commands load their classes from either; what a command prints on
 * stdout and returns is never changed by a cache, missing, damaged or being made.
 */
class AheadOfTimeCacheLauncherTest {

  private static final Path SELECT = Path.of("..", "launcher", "java-select.sh").toAbsolutePath();

  private static final Map<String, String> C1_ONLY =
      Map.of("VIGIL_JAVA_OPTS", "-XX:TieredStopAtLevel=1");

  /** The JDK of version 25 or later the launcher finds here, if any. */
  private static String java;

  @TempDir Path dir;

  private StandInCli cli;

  @BeforeAll
  static void findAJdkOf25OrLater() throws Exception {
    Process select =
        new ProcessBuilder(
                "bash",
                "-c",
                "source \"$0\"; java=$(cli_java); echo \"$java $(java_feature_version \"$java\")\"",
                SELECT.toString())
            .start();
    String[] found =
        new String(select.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
            .trim()
            .split(" ");
    select.waitFor();
    java = found.length == 2 && Integer.parseInt(found[1]) >= 25 ? found[0] : null;
  }

  @BeforeEach
  void onAJdkOf25OrLater() {
    assumeTrue(java != null, "no JDK of version 25 or later on this machine");
    cli = new StandInCli(dir, java);
  }

  @Test
  void theFirstRunLeavesAProfiledCacheAndLaterCommandsLoadTheirClassesFromIt() throws Exception {
    Path jar = cli.jar("first");

    Outcome first = cli.launch(jar, Map.of(), cli.run("a"));

    assertThat(first.status()).isZero();
    assertThat(first.out()).isEqualTo("first run a\n");
    assertThat(cli.files()).hasSize(2).contains("cli.jar").anyMatch(this::profiled);

    Outcome second =
        cli.launch(jar, Map.of("VIGIL_JAVA_OPTS", "-Xlog:class+load=info:stderr"), "check", "b");
    assertThat(second.status()).isZero();
    assertThat(second.out()).isEqualTo("first check b\n");
    assertThat(second.err()).contains("Cli source: shared objects file");
  }

  @Test
  void aRunOnC1OnlyLeavesACacheWithoutProfilesWhichTheFirstRunWithC2Replaces() throws Exception {
    Path jar = cli.jar("hello");

    assertThat(cli.launch(jar, C1_ONLY, cli.run("small")).out()).isEqualTo("hello run small\n");
    assertThat(cli.files()).hasSize(2).anyMatch(name -> name.endsWith(".c1.aot"));

    // Another small run, and any other command, take the cache as it is.
    cli.launch(jar, C1_ONLY, cli.run("small"));
    cli.launch(jar, Map.of(), "check");
    assertThat(cli.files()).hasSize(2).anyMatch(name -> name.endsWith(".c1.aot"));

    Outcome large = cli.launch(jar, Map.of(), cli.run("large"));
    assertThat(large.out()).isEqualTo("hello run large\n");
    assertThat(cli.files()).hasSize(2).anyMatch(this::profiled);

    // A small run takes the profiled cache rather than making another.
    Outcome small =
        cli.launch(
            jar,
            Map.of("VIGIL_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -Xlog:class+load=info:stderr"),
            cli.run("again"));
    assertThat(small.err()).contains("Cli source: shared objects file");
    assertThat(cli.files()).hasSize(2).anyMatch(this::profiled);
  }

  @Test
  void onlyARunOfAnEventsFileThereIsMakesACacheNotItsHelpNorItsVersion() throws Exception {
    Path jar = cli.jar("hello");

    for (String[] args :
        List.of(
            cli.run("--help"),
            cli.run("-h"),
            cli.run("-hV"),
            cli.run("--version"),
            new String[] {"run", "--events", dir.resolve("missing.jsonl").toString()},
            new String[] {"run", "--rules", "r.vgl"},
            new String[] {"check", "r.vgl"})) {
      assertThat(cli.launch(jar, Map.of(), args).status()).isZero();
    }
    assertThat(cli.files()).containsExactly("cli.jar");

    cli.launch(jar, Map.of(), "run", "--rules", "r.vgl", "--events", cli.events().toString());
    assertThat(cli.files()).hasSize(2).anyMatch(this::profiled);
  }

  @Test
  void aDamagedCacheIsIgnoredWithoutAWordOnStdout() throws Exception {
    Path jar = cli.jar("hello");
    cli.launch(jar, Map.of(), cli.run());
    Files.writeString(cli.filesEndingWith(".aot").get(0), "not a cache");

    Outcome damaged = cli.launch(jar, Map.of(), cli.run("y"));

    assertThat(damaged.status()).isZero();
    assertThat(damaged.out()).isEqualTo("hello run y\n");
  }

  @Test
  void aFailedRunKeepsItsStatusAndLeavesNoCacheNorItsRecording() throws Exception {
    Path jar = cli.jar("hello");

    Outcome failed = cli.launch(jar, Map.of(), cli.run("exit=3"));

    assertThat(failed.status()).isEqualTo(3);
    assertThat(failed.out()).isEqualTo("hello run exit=3\n");
    assertThat(cli.files()).containsExactly("cli.jar");
  }

  @Test
  void aCacheMadeBeforeIsDeletedWhenTheJarIsRebuilt() throws Exception {
    Path jar = cli.jar("old");
    cli.launch(jar, Map.of(), cli.run());
    String old = cli.filesEndingWith(".aot").get(0).getFileName().toString();

    Files.delete(jar);
    jar = cli.jar("rebuilt, a longer greeting");
    Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    Outcome rebuilt = cli.launch(jar, Map.of(), cli.run("x"));

    assertThat(rebuilt.out()).isEqualTo("rebuilt, a longer greeting run x\n");
    assertThat(cli.files()).hasSize(2).doesNotContain(old).anyMatch(this::profiled);
  }

  /** A cache with profiles: {@code cli.<key>.aot}, not {@code cli.<key>.c1.aot}. */
  private boolean profiled(String name) {
    return name.endsWith(".aot") && !name.endsWith(".c1.aot");
  }
}
