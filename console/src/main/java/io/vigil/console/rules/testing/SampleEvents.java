package io.vigil.console.rules.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/** The bundled JSON Lines files offered for test runs ({@link TestRunProperties#samplesDir()}). */
@Component
public class SampleEvents {

  private final Path dir;

  public SampleEvents(TestRunProperties properties) {
    this.dir = properties.samplesDir();
  }

  /** File names, sorted; empty when the directory does not exist. */
  public List<String> names() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".jsonl"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The content of one listed file (a name not listed is not read: no path tricks). */
  public Optional<String> read(String name) {
    if (!names().contains(name)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(dir.resolve(name), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
