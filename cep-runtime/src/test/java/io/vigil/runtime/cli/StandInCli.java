package io.vigil.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A small stand-in for {@code vigil.jar} in a directory of its own, launched as {@code ./vigil}
 * launches the CLI ({@code launcher/class-archive.sh}) on a given JVM.
 */
final class StandInCli {

  static final Path CLASS_ARCHIVE = Path.of("..", "launcher", "class-archive.sh").toAbsolutePath();

  record Outcome(int status, String out, String err) {}

  private final Path dir;
  private final String java;

  StandInCli(Path dir, String java) {
    this.dir = dir;
    this.java = java;
  }

  /** An events file beside the directory (not in it, where the launcher's files are counted). */
  Path events() throws IOException {
    Path events = dir.resolveSibling(dir.getFileName() + ".events.jsonl");
    if (!Files.exists(events)) {
      Files.writeString(events, "{}\n");
    }
    return events;
  }

  /**
   * The arguments of a {@code run} of {@link #events()}, then {@code args}: the stand-in does not
   * print the events file's argument.
   */
  String[] run(String... args) throws IOException {
    String[] run = new String[args.length + 2];
    run[0] = "run";
    run[1] = "--events=" + events();
    System.arraycopy(args, 0, run, 2, args.length);
    return run;
  }

  /** Launches {@code jar} with {@code args} in the environment {@code env}. */
  Outcome launch(Path jar, Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add("-c");
    command.add("set -euo pipefail; source \"$0\"; run_with_class_archive \"$@\"");
    command.add(CLASS_ARCHIVE.toString());
    command.add(jar.toString());
    command.addAll(List.of(args));
    Map<String, String> environment = new HashMap<>(env);
    environment.putIfAbsent("CLI_JAVA", java);
    return execute(command, environment, dir);
  }

  /**
   * Runs {@code command} in {@code dir}, without the launcher's variables of this environment, with
   * {@code env}; its output goes to files beside {@code dir}.
   */
  static Outcome execute(List<String> command, Map<String, String> env, Path dir) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().remove("VIGIL_JAVA_OPTS");
    builder.environment().remove("VIGIL_CLASS_ARCHIVE");
    builder.environment().remove("CLI_JAVA");
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

  /** The names of the directory's files. */
  List<String> files() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** The directory's files whose names end with {@code suffix}. */
  List<Path> filesEndingWith(String suffix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }

  /**
   * A jar whose main prints {@code greeting} and its arguments but an events file's and exits with
   * {@code exit=N}.
   */
  Path jar(String greeting) throws IOException {
    Path src = Files.createTempDirectory("cli-src");
    Path source = src.resolve("Cli.java");
    Files.writeString(
        source,
        """
        public class Cli {
          public static void main(String[] args) {
            int status = 0;
            StringBuilder line = new StringBuilder("%s");
            for (String arg : args) {
              if (arg.startsWith("--events=")) {
                continue;
              }
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
    assertThat(javac.run(null, null, null, "-d", src.toString(), source.toString())).isZero();
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
