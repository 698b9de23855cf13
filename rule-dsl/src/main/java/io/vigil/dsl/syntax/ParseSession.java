package io.vigil.dsl.syntax;

import static io.vigil.dsl.syntax.Spans.span;

import io.vigil.dsl.ast.DurationLiteral;
import io.vigil.dsl.diagnostic.Diagnostic;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.diagnostic.Span;
import io.vigil.dsl.limits.Limits;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * What one parse shares between its builders: the source and its limits, the diagnostics found so
 * far, and whether the declaration being built holds a literal that cannot be represented.
 */
final class ParseSession {
  final SourceFile source;
  final Limits limits;
  final SourceGuard guard;
  final List<Diagnostic> diagnostics = new ArrayList<>();

  /**
   * Set when a literal of the declaration being built cannot be represented (a count or duration
   * out of range): the declaration is then left out, so that nothing downstream sees a made-up
   * value.
   */
  private boolean unrepresentable;

  ParseSession(SourceFile source, Limits limits) {
    this.source = source;
    this.limits = limits;
    this.guard = new SourceGuard(source, limits);
  }

  /** Starts a declaration: its literals are representable until one is not. */
  void startDeclaration() {
    unrepresentable = false;
  }

  /**
   * Whether every literal of the declaration since {@link #startDeclaration()} was representable.
   */
  boolean representable() {
    return !unrepresentable;
  }

  /**
   * {@code rule} of a parser over {@code text}, or empty when its tokens already exceed the limits
   * (reported): parsing them would recurse too deeply. Syntax errors are reported.
   */
  <T extends ParserRuleContext> Optional<T> parse(
      String text, int lineOffset, int columnOffset, Function<VigilParser, T> rule) {
    Optional<CommonTokenStream> tokens = tokens(text, lineOffset, columnOffset);
    if (tokens.isEmpty()) {
      return Optional.empty();
    }
    // Two stages, as ANTLR recommends: the fast SLL prediction, which is exact whenever it
    // succeeds, and only on a syntax error the full LL prediction with error reporting and
    // recovery, from the start. Valid rules, which are nearly all, never pay for full context.
    VigilParser fast = new VigilParser(tokens.get());
    fast.getInterpreter().setPredictionMode(PredictionMode.SLL);
    fast.removeErrorListeners();
    fast.setErrorHandler(new BailErrorStrategy());
    try {
      return Optional.of(rule.apply(fast));
    } catch (ParseCancellationException e) {
      tokens.get().seek(0);
      VigilParser full = new VigilParser(tokens.get());
      full.removeErrorListeners();
      full.addErrorListener(listener(lineOffset, columnOffset));
      return Optional.of(rule.apply(full));
    }
  }

  /**
   * The tokens of {@code text}, lexical errors reported, or empty when they exceed the limits
   * (reported).
   */
  private Optional<CommonTokenStream> tokens(String text, int lineOffset, int columnOffset) {
    VigilLexer lexer = new VigilLexer(CharStreams.fromString(text, source.name()));
    lexer.removeErrorListeners();
    lexer.addErrorListener(listener(lineOffset, columnOffset));
    CommonTokenStream tokens = new CommonTokenStream(lexer);
    tokens.fill();
    Optional<Diagnostic> beyond = guard.tokens(tokens.getTokens(), lineOffset, columnOffset);
    if (beyond.isPresent()) {
      diagnostics.add(beyond.get());
      return Optional.empty();
    }
    return Optional.of(tokens);
  }

  /** Reports syntax errors as diagnostics at their place in the source, up to the limit. */
  private BaseErrorListener listener(int lineOffset, int columnOffset) {
    return new BaseErrorListener() {
      @Override
      public void syntaxError(
          Recognizer<?, ?> recognizer,
          Object offendingSymbol,
          int line,
          int charPositionInLine,
          String msg,
          RecognitionException e) {
        int column = (line == 1 ? columnOffset : 0) + charPositionInLine + 1;
        Span span =
            offendingSymbol instanceof Token t && t.getType() != Token.EOF
                ? new Span(line + lineOffset, column, t.getText().length())
                : Span.at(line + lineOffset, column);
        diagnostics.add(SyntaxMessages.describe(source, span, offendingSymbol, msg));
        if (diagnostics.size() >= limits.errors() - 1) {
          // Recovering from error after error costs more than it tells: stop reading.
          diagnostics.add(
              Diagnostic.error(
                  source,
                  span,
                  "too many syntax errors: reading stopped here",
                  "fix the ones above first; the limit `errors` is " + limits.errors()));
          throw new ParseCancellationException("too many syntax errors");
        }
      }
    };
  }

  DurationLiteral duration(TerminalNode node, String clause, Duration limit) {
    String text = node.getText();
    int unitAt = 0;
    while (unitAt < text.length() && Character.isDigit(text.charAt(unitAt))) {
      unitAt++;
    }
    long unitMillis =
        switch (text.substring(unitAt)) {
          case "ms" -> 1L;
          case "s" -> 1_000L;
          case "m" -> 60_000L;
          case "h" -> 3_600_000L;
          default -> 86_400_000L;
        };
    BigInteger millis =
        new BigInteger(text.substring(0, unitAt)).multiply(BigInteger.valueOf(unitMillis));
    if (millis.bitLength() > 62) {
      unrepresentable(
          span(node),
          "`" + clause + " " + text + "` is out of range",
          "`"
              + clause
              + "` allows at most "
              + Limits.format(limit)
              + " (the limit `"
              + (clause.equals("lateness") ? "lateness" : "window")
              + "`)");
      return new DurationLiteral(Duration.ZERO, text, span(node));
    }
    return new DurationLiteral(Duration.ofMillis(millis.longValueExact()), text, span(node));
  }

  /** A count of a quantifier; one that does not fit an int is reported, never clamped. */
  int integer(TerminalNode node) {
    BigInteger value = new BigInteger(node.getText());
    if (value.bitLength() > 31) {
      unrepresentable(
          span(node),
          "the count " + node.getText() + " is out of range",
          "a quantifier counts at most "
              + limits.quantifier()
              + " events (the limit `quantifier`)");
      return 1;
    }
    return value.intValueExact();
  }

  void unrepresentable(Span span, String message, String hint) {
    unrepresentable = true;
    diagnostics.add(Diagnostic.error(source, span, message, hint));
  }
}
