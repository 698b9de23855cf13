package io.vigil.dsl.syntax;

import io.vigil.dsl.diagnostic.Span;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.Interval;
import org.antlr.v4.runtime.tree.TerminalNode;

/** Where parsed syntax sits: spans of tokens and rules, and the exact text of a rule. */
final class Spans {
  private Spans() {}

  static Span span(TerminalNode node) {
    return span(node.getSymbol());
  }

  static Span span(Token token) {
    return new Span(token.getLine(), token.getCharPositionInLine() + 1, token.getText().length());
  }

  static Span span(ParserRuleContext ctx) {
    Token start = ctx.getStart();
    Token stop = ctx.getStop();
    int length =
        stop != null && stop.getLine() == start.getLine()
            ? stop.getStopIndex() - start.getStartIndex() + 1
            : start.getText().length();
    return new Span(start.getLine(), start.getCharPositionInLine() + 1, length);
  }

  /** The exact text of a declaration (indexes of ANTLR's char stream are code points). */
  static String text(ParserRuleContext ctx) {
    return ctx.getStart()
        .getInputStream()
        .getText(Interval.of(ctx.getStart().getStartIndex(), ctx.getStop().getStopIndex()));
  }
}
