package io.vigil.dsl.syntax;

import static io.vigil.dsl.syntax.Quoting.unescape;
import static io.vigil.dsl.syntax.Quoting.unquote;
import static io.vigil.dsl.syntax.Spans.span;

import io.vigil.dsl.ast.Expr;
import io.vigil.dsl.ast.FieldPath;
import io.vigil.dsl.ast.Name;
import io.vigil.dsl.ast.Template;
import io.vigil.dsl.diagnostic.Diagnostic;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.diagnostic.Span;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Builds expressions, alert templates and their leaves (names, field paths) from the parse tree. A
 * template's holes are parsed on their own and moved to where they sit in the source.
 */
final class ExprBuilder {
  private final ParseSession session;
  private final SourceFile source;
  private final List<Diagnostic> diagnostics;

  ExprBuilder(ParseSession session) {
    this.session = session;
    this.source = session.source;
    this.diagnostics = session.diagnostics;
  }

  Expr expr(VigilParser.ExprContext ctx) {
    Span span = span(ctx);
    if (ctx instanceof VigilParser.ParensContext c) {
      return expr(c.expr());
    } else if (ctx instanceof VigilParser.NegateContext c) {
      return new Expr.Unary(Expr.UnaryOp.NEGATE, expr(c.expr()), span);
    } else if (ctx instanceof VigilParser.NotContext c) {
      return new Expr.Unary(Expr.UnaryOp.NOT, expr(c.expr()), span);
    } else if (ctx instanceof VigilParser.MultiplicativeContext c) {
      return binary(c.op, c.expr(0), c.expr(1), span);
    } else if (ctx instanceof VigilParser.AdditiveContext c) {
      return binary(c.op, c.expr(0), c.expr(1), span);
    } else if (ctx instanceof VigilParser.ComparisonContext c) {
      return binary(c.op, c.expr(0), c.expr(1), span(c.op));
    } else if (ctx instanceof VigilParser.StringTestContext c) {
      return binary(c.op, c.expr(0), c.expr(1), span(c.op));
    } else if (ctx instanceof VigilParser.AndContext c) {
      return new Expr.Binary(Expr.BinaryOp.AND, expr(c.expr(0)), expr(c.expr(1)), span);
    } else if (ctx instanceof VigilParser.OrContext c) {
      return new Expr.Binary(Expr.BinaryOp.OR, expr(c.expr(0)), expr(c.expr(1)), span);
    } else if (ctx instanceof VigilParser.InListContext c) {
      // The children are listed once: ANTLR's expr(i) scans them, which is quadratic on long lists.
      List<VigilParser.ExprContext> operands = c.expr();
      List<Expr> options = new ArrayList<>();
      for (int i = 1; i < operands.size(); i++) {
        options.add(expr(operands.get(i)));
      }
      return new Expr.In(expr(operands.get(0)), options, c.NOT() != null, span(c.IN()));
    } else if (ctx instanceof VigilParser.BetweenContext c) {
      return new Expr.Between(
          expr(c.expr()), bound(c.bound(0)), bound(c.bound(1)), c.NOT() != null, span(c.BETWEEN()));
    } else if (ctx instanceof VigilParser.LiteralExprContext c) {
      return literal(c.literal(), false);
    } else if (ctx instanceof VigilParser.CallContext c) {
      return call(c.fn, c.expr(), c.fieldPath(), span);
    } else {
      VigilParser.PathContext c = (VigilParser.PathContext) ctx;
      FieldPath path = path(c.fieldPath());
      return new Expr.Path(path, path.span());
    }
  }

  private Expr bound(VigilParser.BoundContext ctx) {
    if (ctx.literal() != null) {
      return literal(ctx.literal(), "-".equals(ctx.getStart().getText()));
    } else if (ctx.expr().size() == 1 && ctx.ident() == null) {
      return expr(ctx.expr(0));
    } else if (ctx.ident() != null) {
      return call(ctx.ident(), ctx.expr(), ctx.fieldPath(), span(ctx));
    }
    FieldPath path = path(ctx.fieldPath());
    return new Expr.Path(path, path.span());
  }

  private Expr call(
      VigilParser.IdentContext fn,
      List<VigilParser.ExprContext> args,
      VigilParser.FieldPathContext member,
      Span span) {
    List<Expr> arguments = new ArrayList<>();
    args.forEach(a -> arguments.add(expr(a)));
    return new Expr.Call(
        name(fn), arguments, Optional.ofNullable(member).map(this::path), span(fn));
  }

  private Expr binary(Token op, VigilParser.ExprContext l, VigilParser.ExprContext r, Span span) {
    return new Expr.Binary(binaryOp(op.getText()), expr(l), expr(r), span);
  }

  private static Expr.BinaryOp binaryOp(String symbol) {
    for (Expr.BinaryOp op : Expr.BinaryOp.values()) {
      if (op.symbol.equals(symbol)) {
        return op;
      }
    }
    throw new IllegalStateException("grammar and AST disagree on operator " + symbol);
  }

  private Expr literal(VigilParser.LiteralContext ctx, boolean negative) {
    Span span = span(ctx);
    Token t = ctx.getStart();
    return switch (t.getType()) {
      case VigilLexer.INT -> {
        try {
          long v = Long.parseLong(t.getText());
          yield new Expr.IntLit(negative ? -v : v, span);
        } catch (NumberFormatException e) {
          diagnostics.add(
              Diagnostic.error(
                  source, span, "integer " + t.getText() + " is too large", "use a decimal"));
          yield new Expr.IntLit(0, span);
        }
      }
      case VigilLexer.DECIMAL -> {
        BigDecimal v = new BigDecimal(t.getText());
        yield new Expr.DecimalLit(negative ? v.negate() : v, span);
      }
      case VigilLexer.STRING -> new Expr.StringLit(unquote(t.getText()), span);
      case VigilLexer.TRUE -> new Expr.BoolLit(true, span);
      case VigilLexer.FALSE -> new Expr.BoolLit(false, span);
      default -> new Expr.NullLit(span);
    };
  }

  Template template(TerminalNode string) {
    Token token = string.getSymbol();
    String raw = string.getText();
    String body = raw.substring(1, raw.length() - 1);
    int line = token.getLine();
    // Column of the first character inside the quotes, 0-based.
    int bodyColumn = token.getCharPositionInLine() + 1;
    List<Template.Part> parts = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    int i = 0;
    while (i < body.length()) {
      char c = body.charAt(i);
      if (c == '{' && i + 1 < body.length() && body.charAt(i + 1) == '{') {
        text.append('{');
        i += 2;
      } else if (c == '}' && i + 1 < body.length() && body.charAt(i + 1) == '}') {
        text.append('}');
        i += 2;
      } else if (c == '{') {
        int close = body.indexOf('}', i);
        if (close < 0) {
          diagnostics.add(
              Diagnostic.error(
                  source,
                  new Span(line, bodyColumn + i + 1, 1),
                  "unclosed `{` in alert template",
                  "close it with `}`, or write `{{` for a literal brace"));
          break;
        }
        if (!text.isEmpty()) {
          parts.add(new Template.Text(unescape(text.toString())));
          text.setLength(0);
        }
        String hole = body.substring(i + 1, close);
        hole(hole, line, bodyColumn + i + 1)
            .ifPresent(e -> parts.add(new Template.Hole(hole.strip(), e)));
        i = close + 1;
      } else {
        text.append(c);
        i++;
      }
    }
    if (!text.isEmpty()) {
      parts.add(new Template.Text(unescape(text.toString())));
    }
    return new Template(unquote(raw), parts, span(string));
  }

  private Optional<Expr> hole(String text, int line, int column0) {
    if (text.isBlank()) {
      diagnostics.add(
          Diagnostic.error(
              source,
              new Span(line, column0, 2),
              "empty `{}` in alert template",
              "put an expression inside, e.g. `{count(tiny)}`, or write `{{}}` for braces"));
      return Optional.empty();
    }
    int before = diagnostics.size();
    Optional<VigilParser.TemplateHoleContext> parsed =
        session.parse(text, line - 1, column0, VigilParser::templateHole);
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    VigilParser.TemplateHoleContext hole = parsed.get();
    if (diagnostics.size() == before) {
      session.guard.tree(hole, line - 1, column0).ifPresent(diagnostics::add);
    }
    if (diagnostics.size() > before) {
      return Optional.empty();
    }
    // Spans inside the hole are relative to it: rebuild the expression with shifted positions.
    return Optional.of(new SpanShift(line - 1, column0).expr(expr(hole.expr())));
  }

  Name name(VigilParser.IdentContext ctx) {
    return new Name(ctx.getText(), span(ctx));
  }

  FieldPath path(VigilParser.FieldPathContext ctx) {
    List<String> segments = new ArrayList<>();
    ctx.ident().forEach(i -> segments.add(i.getText()));
    return new FieldPath(segments, span(ctx));
  }
}
