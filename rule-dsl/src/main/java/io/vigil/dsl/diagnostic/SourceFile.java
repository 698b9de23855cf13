package io.vigil.dsl.diagnostic;

import java.util.List;
import java.util.Objects;

/** A named piece of rule source; the name is what error messages print (usually a path). */
public record SourceFile(String name, String text) {

  public SourceFile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(text, "text");
  }

  /** The 1-based line, without its line terminator; empty when out of range. */
  public String line(int line) {
    List<String> lines = text.lines().toList();
    return line >= 1 && line <= lines.size() ? lines.get(line - 1) : "";
  }
}
