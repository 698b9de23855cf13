package io.vigil.runtime;

import io.vigil.testing.samples.SampleFiles;
import java.nio.file.Path;

/** The repository's sample rule packs ({@code samples/}), which the runtime is tested against. */
public final class Samples {

  private Samples() {}

  public static Path dir() {
    return SampleFiles.dir();
  }
}
