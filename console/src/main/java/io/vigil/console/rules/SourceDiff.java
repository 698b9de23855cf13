package io.vigil.console.rules;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import java.util.List;

/** A unified diff of two rule sources, line by line, for the version pages. */
public final class SourceDiff {

  /** One line of a unified diff; {@code kind} is '+', '-', '@' (hunk header) or ' '. */
  public record Line(char kind, String text) {
    public String cssClass() {
      return switch (kind) {
        case '+' -> "diff-add";
        case '-' -> "diff-del";
        case '@' -> "diff-hunk";
        default -> "diff-same";
      };
    }
  }

  private SourceDiff() {}

  /** Empty when the sources are equal. */
  public static List<Line> unified(
      String before, String after, String beforeName, String afterName) {
    List<String> a = before.lines().toList();
    List<String> b = after.lines().toList();
    List<String> text =
        UnifiedDiffUtils.generateUnifiedDiff(beforeName, afterName, a, DiffUtils.diff(a, b), 3);
    return text.stream()
        .map(l -> l.isEmpty() ? new Line(' ', "") : new Line(l.charAt(0), l))
        .map(
            l ->
                l.text().startsWith("---") || l.text().startsWith("+++")
                    ? new Line('@', l.text())
                    : l)
        .toList();
  }
}
