package io.vigil.runtime;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's sample rule packs ({@code samples/}), which the runtime is tested against. */
public final class Samples {

  private Samples() {}

  public static Path dir() {
    Path repo = Path.of("..", "samples");
    if (!Files.isRegularFile(repo.resolve("streams.vgl"))) {
      throw new IllegalStateException("the sample rules are missing: " + repo.toAbsolutePath());
    }
    return repo;
  }
}
