package io.vigil.testing.samples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The repository's sample folder ({@code samples/}): the sample streams and rule packs that tests
 * in every module read. Tests run with their module as working directory, so the folder is looked
 * for there and in the directories above it.
 */
public final class SampleFiles {

  /** The file that marks the samples folder: every rule pack reads these streams. */
  public static final String STREAMS = "streams.vgl";

  private static final String RULE_SUFFIX = ".vgl";

  private SampleFiles() {}

  /** A rule-language file of the samples: its path under the samples folder, and its text. */
  public record RuleFile(String name, String text) {}

  /**
   * The samples folder, as a path relative to the working directory (such as {@code ../samples}).
   *
   * @throws IllegalStateException when no samples folder is found
   */
  public static Path dir() {
    return locate(Path.of(""));
  }

  /** A path under the samples folder, e.g. {@code resolve("events", "iot.jsonl")}. */
  public static Path resolve(String first, String... more) {
    return dir().resolve(Path.of(first, more));
  }

  /** Every rule-language file under the samples folder (streams and rules), in path order. */
  public static List<RuleFile> ruleFiles() {
    Path root = dir();
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> Files.isRegularFile(p) && p.toString().endsWith(RULE_SUFFIX))
          .sorted()
          .map(p -> new RuleFile(root.relativize(p).toString(), read(p)))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the sample rules in " + root.toAbsolutePath(), e);
    }
  }

  /** The samples folder in {@code start} or the nearest directory above it that has one. */
  static Path locate(Path start) {
    Path relative = start;
    for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("samples").resolve(STREAMS))) {
        return relative.resolve("samples").normalize();
      }
      relative = relative.resolve("..");
    }
    throw new IllegalStateException(
        "no samples/" + STREAMS + " in " + start.toAbsolutePath() + " or any directory above it");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the sample " + file.toAbsolutePath(), e);
    }
  }
}
