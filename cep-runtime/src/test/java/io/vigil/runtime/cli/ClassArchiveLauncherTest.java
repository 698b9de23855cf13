package io.vigil.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's class data sharing ({@code launcher/class-archive.sh}, sourced by {@code ./vigil})
 * on a small stand-in for {@code vigil.jar}: the first {@code run} records an archive beside the
 * jar, later commands load classes from it, and a stale, damaged or disabled archive never changes
 * what a command prints or returns.
 */
class ClassArchiveLauncherTest {

  private static final Path SCRIPT = Path.of("..", "launcher", "class-archive.sh").toAbsolutePath();

  @TempDir Path dir;

  record Outcome(int status, String out, String err) {}

  @Test
  void theFirstRunRecordsAnArchiveBesideTheJarAndLaterCommandsLoadClassesFromIt() throws Exception {
    Path jar = cliJar("first");

    Outcome first = launch(jar, Map.of(), "run", "a");
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
    launch(jar, Map.of(), "run");
    List<Path> old = archives();

    Files.delete(jar);
    jar = cliJar("rebuilt, a longer greeting");
    Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    Outcome rebuilt = launch(jar, Map.of(), "run", "x");

    assertThat(rebuilt.status()).isZero();
    assertThat(rebuilt.out()).isEqualTo("rebuilt, a longer greeting run x\n");
    assertThat(archives()).hasSize(1).doesNotContainAnyElementsOf(old);
  }

  @Test
  void aDamagedArchiveIsIgnoredWithoutAWordOnStdout() throws Exception {
    Path jar = cliJar("hello");
    launch(jar, Map.of(), "run");
    Files.writeString(archives().get(0), "not an archive");

    Outcome damaged = launch(jar, Map.of(), "run", "y");

    assertThat(damaged.status()).isZero();
    assertThat(damaged.out()).isEqualTo("hello run y\n");
  }

  @Test
  void aFailedRunKeepsItsStatusAndLeavesNoArchive() throws Exception {
    Path jar = cliJar("hello");

    Outcome failed = launch(jar, Map.of(), "run", "exit=3");

    assertThat(failed.status()).isEqualTo(3);
    assertThat(failed.out()).isEqualTo("hello run exit=3\n");
    assertThat(archives()).isEmpty();
    assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsOnly("cli.jar");
  }

  @Test
  void theArchiveCanBeTurnedOff() throws Exception {
    Path jar = cliJar("hello");

    Outcome off = launch(jar, Map.of("VIGIL_CLASS_ARCHIVE", "off"), "run");

    assertThat(off.status()).isZero();
    assertThat(off.out()).isEqualTo("hello run\n");
    assertThat(archives()).isEmpty();
  }

  private List<Path> archives() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".jsa")).toList();
    }
  }

  private Outcome launch(Path jar, Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add("-c");
    command.add("set -euo pipefail; source \"$0\"; run_with_class_archive \"$@\"");
    command.add(SCRIPT.toString());
    command.add(jar.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("VIGIL_JAVA_OPTS");
    builder.environment().remove("VIGIL_CLASS_ARCHIVE");
    builder.environment().putAll(env);
    Path out = dir.resolveSibling(dir.getFileName() + ".out");
    Path err = dir.resolveSibling(dir.getFileName() + ".err");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    int status = process.waitFor();
    return new Outcome(
        status,
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** A jar whose main prints {@code greeting} and its arguments and exits with {@code exit=N}. */
  private Path cliJar(String greeting) throws IOException {
    Path src = Files.createTempDirectory("cli-src");
    Path java = src.resolve("Cli.java");
    Files.writeString(
        java,
        """
        public class Cli {
          public static void main(String[] args) {
            int status = 0;
            StringBuilder line = new StringBuilder("%s");
            for (String arg : args) {
              line.append(' ').append(arg);
              if (arg.startsWith("exit=")) {
                status = Integer.parseInt(arg.substring(5));
              }
            }
            System.out.println(line);
            System.exit(status);
          }
        }
        """
            .formatted(greeting));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(javac.run(null, null, null, "-d", src.toString(), java.toString())).isZero();
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Cli");
    Path jar = dir.resolve("cli.jar");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest)) {
      out.putNextEntry(new JarEntry("Cli.class"));
      out.write(Files.readAllBytes(src.resolve("Cli.class")));
      out.closeEntry();
    }
    return jar;
  }
}
