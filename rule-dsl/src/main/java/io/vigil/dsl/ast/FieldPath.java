package io.vigil.dsl.ast;

import io.vigil.dsl.diagnostic.Span;
import java.util.List;

/** A dotted path such as {@code geo.country} or {@code a.country} (resolved by the checker). */
public record FieldPath(List<String> segments, Span span) {

  public FieldPath {
    segments = List.copyOf(segments);
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("a path has at least one segment");
    }
  }

  public String dotted() {
    return String.join(".", segments);
  }

  public String head() {
    return segments.get(0);
  }

  public FieldPath tail() {
    return new FieldPath(segments.subList(1, segments.size()), span);
  }

  public int size() {
    return segments.size();
  }
}
