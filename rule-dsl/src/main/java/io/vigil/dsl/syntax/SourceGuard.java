package io.vigil.dsl.syntax;

import io.vigil.dsl.diagnostic.Diagnostic;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.diagnostic.Span;
import io.vigil.dsl.limits.Limits;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;

/**
 * The size limits checked on source before anything recurses over it: the parser, the AST builder,
 * the checker and the compiler all recurse once per nesting level, so nesting is bounded here, on
 * the flat token list (what the parser would recurse over) and on the parse tree without recursion
 * (what the builders would recurse over).
 */
final class SourceGuard {

  private final SourceFile source;
  private final Limits limits;

  SourceGuard(SourceFile source, Limits limits) {
    this.source = source;
    this.limits = limits;
  }

  /** The source as a whole: at most {@code sourceBytes} of UTF-8, reported where it is crossed. */
  Optional<Diagnostic> size() {
    String text = source.text();
    long bytes = 0;
    int line = 1;
    int column = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
      if (bytes > limits.sourceBytes()) {
        return Optional.of(
            Diagnostic.error(
                source,
                Span.at(line, column),
                "the source is longer than "
                    + limits.sourceBytes()
                    + " bytes (UTF-8), the limit `source-bytes`",
                "split the rules over several files"));
      }
      if (c == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return Optional.empty();
  }

  /**
   * The first token at which brackets and prefix operators ({@code not}, {@code -}) nest deeper
   * than the limit, and the first string literal that is too long. A prefix operator is counted
   * until its bracket closes or a token that ends its operand ({@code and}, {@code or}, {@code ,},
   * or one that cannot be part of an expression: {@code then}, {@code :}, a clause keyword).
   */
  Optional<Diagnostic> tokens(List<Token> tokens, int lineOffset, int columnOffset) {
    int depth = 0;
    int prefixes = 0;
    Deque<Integer> outerPrefixes = new ArrayDeque<>();
    for (Token t : tokens) {
      int type = t.getType();
      if (type == VigilLexer.STRING) {
        int length = t.getText().length() - 2;
        if (length > limits.stringLength()) {
          return Optional.of(
              Diagnostic.error(
                  source,
                  span(t, lineOffset, columnOffset),
                  "this string has "
                      + length
                      + " characters, more than the limit `string-length` of "
                      + limits.stringLength(),
                  "shorten it; alert texts can read values of the match with `{...}`"));
        }
        continue;
      }
      String text = t.getText();
      if (text.equals("(") || text.equals("[")) {
        outerPrefixes.push(prefixes);
        prefixes = 0;
        depth++;
      } else if (text.equals(")") || text.equals("]")) {
        depth -= 1 + prefixes;
        prefixes = outerPrefixes.isEmpty() ? 0 : outerPrefixes.pop();
        depth = Math.max(0, depth);
      } else if (type == VigilLexer.NOT || text.equals("-")) {
        prefixes++;
        depth++;
      } else if (endsOperand(type, text)) {
        depth -= prefixes;
        prefixes = 0;
      }
      if (depth > limits.nestingDepth()) {
        return Optional.of(tooDeep(span(t, lineOffset, columnOffset)));
      }
    }
    return Optional.empty();
  }

  /**
   * The first expression or group of the parse tree nested deeper than the limit, found without
   * recursion (chains such as {@code a + b + c ...} are parsed in a loop but form a deep tree).
   */
  Optional<Diagnostic> tree(ParseTree root, int lineOffset, int columnOffset) {
    record Visit(ParseTree node, int depth) {}
    Deque<Visit> pending = new ArrayDeque<>();
    pending.push(new Visit(root, 0));
    while (!pending.isEmpty()) {
      Visit v = pending.pop();
      int depth = v.depth();
      if (v.node() instanceof VigilParser.FieldPathContext path
          && path.ident().size() > limits.nestingDepth()) {
        Token deep = path.ident(limits.nestingDepth()).getStart();
        return Optional.of(tooDeep(span(deep, lineOffset, columnOffset)));
      }
      if (v.node() instanceof VigilParser.ExprContext
          || v.node() instanceof VigilParser.GroupContext) {
        depth++;
        if (depth > limits.nestingDepth()) {
          Token start = ((ParserRuleContext) v.node()).getStart();
          return Optional.of(tooDeep(span(start, lineOffset, columnOffset)));
        }
      }
      for (int i = v.node().getChildCount() - 1; i >= 0; i--) {
        pending.push(new Visit(v.node().getChild(i), depth));
      }
    }
    return Optional.empty();
  }

  private static boolean endsOperand(int type, String text) {
    return switch (type) {
      case VigilLexer.AND,
          VigilLexer.OR,
          VigilLexer.THEN,
          VigilLexer.NEXT,
          VigilLexer.RULE,
          VigilLexer.STREAM,
          VigilLexer.WITHIN,
          VigilLexer.HAVING,
          VigilLexer.ALERT,
          VigilLexer.SKIP_,
          VigilLexer.UNTIL,
          VigilLexer.ON ->
          true;
      default -> text.equals(",") || text.equals(":") || text.equals("{");
    };
  }

  /** Reported when recursion ran out of stack despite the limits (a last resort). */
  Diagnostic stackExhausted() {
    return Diagnostic.error(
        source,
        Span.at(1, 1),
        "this source is nested too deeply to be read",
        "simplify deeply nested conditions or groups (the limit `nesting-depth` is "
            + limits.nestingDepth()
            + ")");
  }

  private Diagnostic tooDeep(Span span) {
    return Diagnostic.error(
        source,
        span,
        "nested more than " + limits.nestingDepth() + " levels deep, the limit `nesting-depth`",
        "split the condition over several stages, or use `in [...]` instead of long chains of"
            + " `or`");
  }

  private static Span span(Token t, int lineOffset, int columnOffset) {
    int line = t.getLine() + lineOffset;
    int column = (t.getLine() == 1 ? columnOffset : 0) + t.getCharPositionInLine() + 1;
    return new Span(Math.max(1, line), Math.max(1, column), t.getText().length());
  }
}
