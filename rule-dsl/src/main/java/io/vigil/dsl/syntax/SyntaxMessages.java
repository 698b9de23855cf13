package io.vigil.dsl.syntax;

import io.vigil.dsl.diagnostic.Diagnostic;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.diagnostic.Span;
import java.util.Set;
import org.antlr.v4.runtime.Token;

/** Rewrites ANTLR's messages into ones an analyst can act on. */
final class SyntaxMessages {

  private static final Set<String> CLAUSES =
      Set.of(
          "title",
          "severity",
          "tags",
          "owner",
          "partition",
          "from",
          "pattern",
          "within",
          "max",
          "skip",
          "having",
          "alert",
          "on");

  private SyntaxMessages() {}

  static Diagnostic describe(SourceFile source, Span span, Object offending, String antlr) {
    String found =
        offending instanceof Token t
            ? (t.getType() == Token.EOF ? "end of file" : "`" + t.getText() + "`")
            : "";
    if (antlr.startsWith("token recognition error")) {
      String ch = antlr.substring(antlr.indexOf(':') + 1).trim();
      return Diagnostic.error(
          source,
          span,
          "unexpected character " + ch,
          "strings are written in double quotes; comments start with `#` or `//`");
    }
    String expected = expectedPart(antlr);
    String message =
        found.isEmpty()
            ? antlr
            : "unexpected " + found + (expected.isEmpty() ? "" : ", " + expected);
    return Diagnostic.error(source, span, message, hint(offending, antlr));
  }

  private static String expectedPart(String antlr) {
    int at = antlr.indexOf("expecting ");
    if (at < 0) {
      return "";
    }
    String list = antlr.substring(at + "expecting ".length()).replace("'", "`");
    if (list.length() > 120) {
      return "";
    }
    return "expected " + list.replace("{", "one of ").replace("}", "");
  }

  private static String hint(Object offending, String antlr) {
    if (offending instanceof Token t) {
      String text = t.getText();
      if (t.getType() == Token.EOF) {
        return "the declaration is incomplete: check the last clause";
      }
      if (CLAUSES.contains(text)) {
        return "`" + text + "` starts a rule clause; is the clause before it complete?";
      }
      if (text.equals("=")) {
        return "compare with `==`";
      }
      if (text.equals("&&") || text.equals("&")) {
        return "write `and`";
      }
      if (text.equals("||") || text.equals("|")) {
        return "write `or`";
      }
      if (text.equals("'")) {
        return "strings are written in double quotes";
      }
    }
    if (antlr.startsWith("no viable alternative")) {
      return "a stage is written `name: condition` or `name: stream(condition)`,"
          + " joined by `then`, `next`, `then any` or `not then`";
    }
    return "see docs/language.md for the syntax of each clause";
  }
}
