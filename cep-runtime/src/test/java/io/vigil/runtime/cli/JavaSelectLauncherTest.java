package io.vigil.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which JDK the CLI runs on ({@code launcher/java-select.sh}): the user's {@code VIGIL_JAVA}; else
 * the first JDK of version 25 or later among {@code JAVA_HOME}'s, the {@code java} on the path and
 * the newest under the JDK directories; else {@code java}. Here on stand-in JDKs: a release file
 * and a {@code bin/java}.
 */
class JavaSelectLauncherTest {

  private static final Path SCRIPT = Path.of("..", "launcher", "java-select.sh").toAbsolutePath();

  @TempDir Path dir;

  private Path jdks;
  private Path onPath;

  @BeforeEach
  void machine() throws Exception {
    jdks = Files.createDirectories(dir.resolve("jvm"));
    onPath = Files.createDirectories(dir.resolve("bin"));
  }

  @Test
  void theNewestJdkOf25OrLaterUnderTheJdkDirectoriesIsChosenOverTheJavaOnThePath()
      throws Exception {
    Path java17 = jdk("java-17-openjdk", "17.0.15");
    jdk("temurin-25-jdk", "25.0.3");
    Path java26 = jdk("jdk-26", "26");
    jdk("broken-jdk", "not a version");
    Files.createSymbolicLink(onPath.resolve("java"), java17);

    assertThat(select("cli_java", Map.of())).isEqualTo(java26.toString());
  }

  @Test
  void javaHomeAndTheJavaOnThePathComeFirstWhereTheyAre25OrLater() throws Exception {
    jdk("jdk-26", "26");
    Path home25 = jdk("home-25", "25.0.1").getParent().getParent();
    Path path25 = jdk("path-25", "25.0.2");
    Files.createSymbolicLink(onPath.resolve("java"), path25);

    assertThat(select("cli_java", Map.of("JAVA_HOME", home25.toString())))
        .isEqualTo(home25.resolve("bin/java").toString());
    assertThat(select("cli_java", Map.of())).isEqualTo(onPath.resolve("java").toString());
    // A JAVA_HOME of an older JDK is passed over.
    Path home17 = jdk("home-17", "17.0.9").getParent().getParent();
    assertThat(select("cli_java", Map.of("JAVA_HOME", home17.toString())))
        .isEqualTo(onPath.resolve("java").toString());
  }

  @Test
  void withoutAJdkOf25OrLaterTheCliRunsOnJavaAndTheUsersChoiceAlwaysWins() throws Exception {
    Files.createSymbolicLink(onPath.resolve("java"), jdk("java-17-openjdk", "17.0.15"));
    jdk("java-21-openjdk", "21.0.4");

    assertThat(select("cli_java", Map.of())).isEqualTo("java");

    Path java26 = jdk("jdk-26", "26");
    assertThat(select("cli_java", Map.of("VIGIL_JAVA", "/opt/my/java"))).isEqualTo("/opt/my/java");
    assertThat(select("cli_java", Map.of())).isEqualTo(java26.toString());
  }

  @Test
  void theFeatureVersionIsReadFromTheJdksReleaseFile() throws Exception {
    assertThat(select("java_feature_version " + jdk("a", "17.0.15"), Map.of())).isEqualTo("17");
    assertThat(select("java_feature_version " + jdk("b", "25"), Map.of())).isEqualTo("25");
    assertThat(select("java_feature_version " + jdk("c", "26-ea"), Map.of())).isEqualTo("26");
    assertThat(select("java_feature_version " + jdk("d", "1.8.0_392"), Map.of())).isEqualTo("1");
    Path noRelease = jdk("e", "25");
    Files.delete(noRelease.getParent().getParent().resolve("release"));
    assertThat(select("java_feature_version " + noRelease, Map.of())).isEmpty();
    assertThat(select("java_feature_version " + dir.resolve("missing"), Map.of())).isEmpty();
  }

  @Test
  void everyCommandOnAJdkOf25OrLaterGetsCompactObjectHeadersAndUnsafeWithoutAWarning()
      throws Exception {
    assertThat(select("cli_java_options " + jdk("jdk-25", "25.0.3"), Map.of()))
        .isEqualTo("-XX:+UseCompactObjectHeaders --sun-misc-unsafe-memory-access=allow");
    assertThat(select("cli_java_options " + jdk("jdk-17", "17.0.15"), Map.of())).isEmpty();
  }

  /** A stand-in JDK {@code name} of {@code version}: its {@code bin/java}. */
  private Path jdk(String name, String version) throws Exception {
    Path home = Files.createDirectories(jdks.resolve(name));
    Files.writeString(
        home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
    Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
    Files.writeString(java, "#!/bin/sh\necho stand-in\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return java;
  }

  /**
   * What the launcher prints for {@code call} on this stand-in machine: its JDK directory, and a
   * path that finds {@code java} in {@code onPath} first, with the rest of the machine's tools.
   */
  private String select(String call, Map<String, String> env) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add("-c");
    command.add("set -euo pipefail; source \"$0\"; " + call);
    command.add(SCRIPT.toString());
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> environment = new HashMap<>(builder.environment());
    environment.remove("VIGIL_JAVA");
    environment.remove("JAVA_HOME");
    environment.put("VIGIL_JDK_DIRS", jdks.toString());
    environment.put("PATH", onPath + ":/usr/bin:/bin");
    environment.putAll(env);
    builder.environment().clear();
    builder.environment().putAll(environment);
    Process process = builder.redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(out).isZero();
    return out.trim();
  }
}
