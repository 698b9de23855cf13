package io.vigil.dsl.check;

import java.util.List;

/** An alert template whose holes are typed expressions over the match. */
public record CheckedTemplate(String raw, List<Part> parts) {

  public CheckedTemplate {
    parts = List.copyOf(parts);
  }

  public sealed interface Part {}

  public record Text(String text) implements Part {}

  public record Hole(String source, TypedExpr expr) implements Part {}
}
