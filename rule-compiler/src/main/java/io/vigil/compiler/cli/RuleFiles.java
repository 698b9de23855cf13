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

/**
 * Reads the rule sources named on a command line: files as given, directories walked for *.vgl and
 * *.drl (DRL decision rule sets).
 */
public final class RuleFiles {

  private RuleFiles() {}

  /**
   * The sources in {@code paths}, each directory's {@code .vgl} and {@code .drl} files in path
   * order (so that output is stable).
   *
   * @throws UncheckedIOException when a path does not exist or cannot be read
   */
  public static List<SourceFile> read(List<Path> paths) {
    List<SourceFile> out = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        try (Stream<Path> walk = Files.walk(path)) {
          for (Path file :
              walk.filter(
                      p ->
                          Files.isRegularFile(p)
                              && (p.toString().endsWith(".vgl") || p.toString().endsWith(".drl")))
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
