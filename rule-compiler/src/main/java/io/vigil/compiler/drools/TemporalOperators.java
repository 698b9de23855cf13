package io.vigil.compiler.drools;

import io.vigil.dsl.diagnostic.Diagnostic;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.diagnostic.Span;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds what only a stateful session can evaluate: Drools Fusion's temporal operators ({@code this
 * after[0s,10m] $a}) and sliding windows ({@code over window:time(10m)}). A stateless rule set sees
 * one event at a time, so either is an error there, with the directive to add as the hint.
 */
final class TemporalOperators {

  private static final Pattern TEMPORAL =
      Pattern.compile(
          "\\b(after|before|coincides|during|finishes|finishedby|includes|meets|metby|overlaps"
              + "|overlappedby|starts|startedby)\\s*(?=\\[|\\$)|\\bover\\s+window\\s*:");
  private static final Pattern COMMENT = Pattern.compile("//[^\\n]*|/\\*(?s:.*?)\\*/");

  private TemporalOperators() {}

  /** The first temporal operator or window of {@code source}, as an error for a stateless set. */
  static Optional<Diagnostic> inStatelessRuleSet(SourceFile source) {
    // Comments become blanks of the same length, so that positions stay the author's.
    Matcher comments = COMMENT.matcher(source.text());
    StringBuilder code = new StringBuilder();
    while (comments.find()) {
      comments.appendReplacement(code, " ".repeat(comments.group().length()));
    }
    comments.appendTail(code);
    Matcher m = TEMPORAL.matcher(code);
    if (!m.find()) {
      return Optional.empty();
    }
    String before = code.substring(0, m.start());
    int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
    int column = m.start() - before.lastIndexOf('\n');
    String what = m.group().strip();
    return Optional.of(
        Diagnostic.error(
            source,
            new Span(line, column, what.length()),
            "'"
                + what
                + "' needs a stateful session: a stateless rule set sees one event at a time",
            "add a line `// vigil: expire after 10m` (how long each key's session keeps an event)"));
  }
}
