package io.vigil.dsl.diagnostic;

/**
 * Where a piece of syntax sits in its source: 1-based line and column, and its length in characters
 * on that line (at least 1, so that a caret can always be drawn).
 */
public record Span(int line, int column, int length) {

  public Span {
    if (line < 1 || column < 1) {
      throw new IllegalArgumentException("line and column are 1-based: " + line + ":" + column);
    }
    length = Math.max(1, length);
  }

  public static Span at(int line, int column) {
    return new Span(line, column, 1);
  }
}
