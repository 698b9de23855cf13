package io.vigil.dsl.ast;

import io.vigil.dsl.diagnostic.Span;
import java.util.List;

/** An alert message template: text with {@code {expr}} holes. {@code {{} and {@code }}} escape. */
public record Template(String raw, List<Part> parts, Span span) {

  public Template {
    parts = List.copyOf(parts);
  }

  public sealed interface Part permits Text, Hole {}

  public record Text(String text) implements Part {}

  /** {@code source} is the hole's text between the braces. */
  public record Hole(String source, Expr expr) implements Part {}
}
