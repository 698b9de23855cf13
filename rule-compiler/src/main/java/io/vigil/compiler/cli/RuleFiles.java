package io.vigil.compiler.cli;

import io.vigil.dsl.diagnostic.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the rule sources named on a command line: files as given, directories walked for *.vgl. */
public final class RuleFiles {

  private RuleFiles() {}

  /**
   * The sources in {@code paths}, each directory's {@code .vgl} files in path order (so that output
   * is stable).
   *
   * @throws UncheckedIOException when a path does not exist or cannot be read
   */
  public static List<SourceFile> read(List<Path> paths) {
    return read(paths, List.of(".vgl"));
  }

  /**
   * As {@link #read(List)}, directories walked for pattern-language files and DRL decision rule
   * sets ({@code .vgl} and {@code .drl}); what {@code vigil check} reads.
   */
  public static List<SourceFile> readWithDecisions(List<Path> paths) {
    return read(paths, List.of(".vgl", ".drl"));
  }

  private static List<SourceFile> read(List<Path> paths, List<String> suffixes) {
    List<SourceFile> out = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        try (Stream<Path> walk = Files.walk(path)) {
          for (Path file :
              walk.filter(
                      p ->
                          Files.isRegularFile(p)
                              && suffixes.stream().anyMatch(x -> p.toString().endsWith(x)))
                  .sorted()
                  .toList()) {
            out.add(readOne(file));
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + path, e);
        }
      } else {
        out.add(readOne(path));
      }
    }
    return out;
  }

  private static SourceFile readOne(Path file) {
    try {
      return new SourceFile(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
