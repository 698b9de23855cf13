package io.vigil.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.runtime.cli.StandInCli.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's class data sharing ({@code launcher/class-archive.sh}, sourced by {@code ./vigil})
 * on a small stand-in for {@code vigil.jar}: the first {@code run} records an archive beside the
 * jar (on Java 17 to 24 a class data archive, on 25 and later an ahead-of-time cache, with method
 * profiles where the run used C2), later commands load classes from it, and a stale, damaged or
 * disabled archive never changes what a command prints or returns.
 */
class ClassArchiveLauncherTest {

  /** The JVM these tests run on: a class data archive's, where it is older than 25. */
  private static final String THIS_JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @TempDir Path dir;

  private StandInCli cli;

  @BeforeEach
  void aClassDataArchiveIsMadeByJavaOlderThan25() {
    assumeTrue(Runtime.version().feature() < 25, "these tests run on Java 17 to 24");
    cli = new StandInCli(dir, THIS_JAVA);
  }

  @Test
  void theFirstRunRecordsAnArchiveBesideTheJarAndLaterCommandsLoadClassesFromIt() throws Exception {
    Path jar = cliJar("first");

    Outcome first = launch(jar, Map.of(), cli.run("a"));
    assertThat(first.status()).isZero();
    assertThat(first.out()).isEqualTo("first run a\n");
    assertThat(archives()).hasSize(1);

    Outcome second =
        launch(jar, Map.of("VIGIL_JAVA_OPTS", "-Xlog:class+load=info:stderr"), "check", "b");
    assertThat(second.status()).isZero();
    assertThat(second.out()).isEqualTo("first check b\n");
    assertThat(second.err()).contains("Cli source: shared objects file (top)");
  }

  @Test
  void aRebuiltJarIgnoresTheOldArchiveAndTheNextRunReplacesIt() throws Exception {
    Path jar = cliJar("old");
    launch(jar, Map.of(), cli.run());
    List<Path> old = archives();

    Files.delete(jar);
    jar = cliJar("rebuilt, a longer greeting");
    Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    Outcome rebuilt = launch(jar, Map.of(), cli.run("x"));

    assertThat(rebuilt.status()).isZero();
    assertThat(rebuilt.out()).isEqualTo("rebuilt, a longer greeting run x\n");
    assertThat(archives()).hasSize(1).doesNotContainAnyElementsOf(old);
  }

  @Test
  void aRunThatOnlyPrintsItsHelpOrReadsNoEventsFileLeavesNoArchive() throws Exception {
    Path jar = cliJar("hello");

    launch(jar, Map.of(), cli.run("--help"));
    launch(jar, Map.of(), cli.run("-V"));
    launch(jar, Map.of(), "run", "--rules", "r.vgl");

    assertThat(archives()).isEmpty();
  }

  @Test
  void aDamagedArchiveIsIgnoredWithoutAWordOnStdout() throws Exception {
    Path jar = cliJar("hello");
    launch(jar, Map.of(), cli.run());
    Files.writeString(archives().get(0), "not an archive");

    Outcome damaged = launch(jar, Map.of(), cli.run("y"));

    assertThat(damaged.status()).isZero();
    assertThat(damaged.out()).isEqualTo("hello run y\n");
  }

  @Test
  void aFailedRunKeepsItsStatusAndLeavesNoArchive() throws Exception {
    Path jar = cliJar("hello");

    Outcome failed = launch(jar, Map.of(), cli.run("exit=3"));

    assertThat(failed.status()).isEqualTo(3);
    assertThat(failed.out()).isEqualTo("hello run exit=3\n");
    assertThat(archives()).isEmpty();
    assertThat(cli.files()).containsOnly("cli.jar");
  }

  @Test
  void theArchiveCanBeTurnedOff() throws Exception {
    Path jar = cliJar("hello");

    Outcome off = launch(jar, Map.of("VIGIL_CLASS_ARCHIVE", "off"), cli.run());

    assertThat(off.status()).isZero();
    assertThat(off.out()).isEqualTo("hello run\n");
    assertThat(archives()).isEmpty();
  }

  private List<Path> archives() throws IOException {
    return cli.filesEndingWith(".jsa");
  }

  private Path cliJar(String greeting) throws IOException {
    return cli.jar(greeting);
  }

  private Outcome launch(Path jar, Map<String, String> env, String... args) throws Exception {
    return cli.launch(jar, env, args);
  }
}
