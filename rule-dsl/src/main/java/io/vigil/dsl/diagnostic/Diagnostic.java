package io.vigil.dsl.diagnostic;

import java.util.Objects;
import java.util.Optional;

/**
 * One problem found in rule source, with what to do about it. Rendered as {@code file:line:col:
 * error: message}, the source line, a caret under the culprit and the hint.
 */
public record Diagnostic(
    Level level, SourceFile source, Span span, String message, Optional<String> hint) {

  public enum Level {
    ERROR,
    WARNING;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The characters of a long source line shown around the caret. */
  private static final int SHOWN = 160;

  public Diagnostic {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(span, "span");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(hint, "hint");
  }

  public static Diagnostic error(SourceFile source, Span span, String message) {
    return new Diagnostic(Level.ERROR, source, span, message, Optional.empty());
  }

  public static Diagnostic error(SourceFile source, Span span, String message, String hint) {
    return new Diagnostic(Level.ERROR, source, span, message, Optional.of(hint));
  }

  public static Diagnostic warning(SourceFile source, Span span, String message, String hint) {
    return new Diagnostic(Level.WARNING, source, span, message, Optional.of(hint));
  }

  public boolean isError() {
    return level == Level.ERROR;
  }

  /** The first line only: {@code file:line:col: error: message}. */
  public String headline() {
    return "%s:%d:%d: %s: %s"
        .formatted(source.name(), span.line(), span.column(), level.label(), message);
  }

  /** The headline, the source line with a caret under the span, and the hint if any. */
  public String render() {
    StringBuilder out = new StringBuilder(headline()).append('\n');
    String line = source.line(span.line());
    int column = span.column();
    if (line.length() > SHOWN) {
      // Only the part around the caret of a very long line (a minified or garbled file).
      int start = Math.max(0, Math.min(column - 1 - SHOWN / 4, line.length() - SHOWN));
      int end = Math.min(line.length(), start + SHOWN);
      String before = start > 0 ? "…" : "";
      line = before + line.substring(start, end) + (end < line.length() ? "…" : "");
      column = column - start + before.length();
    }
    out.append("  ").append(line).append('\n');
    int caretWidth = Math.max(1, Math.min(span.length(), line.length() - column + 1));
    out.append("  ")
        .append(leadingWhitespaceLike(line, column - 1))
        .append("^")
        .append("~".repeat(caretWidth - 1))
        .append('\n');
    hint.ifPresent(h -> out.append("  hint: ").append(h).append('\n'));
    return out.toString();
  }

  // Tabs in the source line are kept under the caret so that it lines up in any terminal.
  private static String leadingWhitespaceLike(String line, int width) {
    StringBuilder pad = new StringBuilder();
    for (int i = 0; i < width; i++) {
      pad.append(i < line.length() && line.charAt(i) == '\t' ? '\t' : ' ');
    }
    return pad.toString();
  }
}
