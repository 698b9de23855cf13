package io.vigil.dsl.syntax;

import io.vigil.dsl.ast.Expr;
import io.vigil.dsl.ast.FieldPath;
import io.vigil.dsl.ast.Name;
import io.vigil.dsl.diagnostic.Span;

/** Moves spans of an expression parsed on its own (a template hole) to where it sits. */
record SpanShift(int lines, int columns) {

  Span span(Span s) {
    return new Span(
        s.line() + lines, s.line() == 1 ? s.column() + columns : s.column(), s.length());
  }

  FieldPath path(FieldPath p) {
    return new FieldPath(p.segments(), span(p.span()));
  }

  Name name(Name n) {
    return new Name(n.text(), span(n.span()));
  }

  Expr expr(Expr e) {
    if (e instanceof Expr.StringLit x) {
      return new Expr.StringLit(x.value(), span(x.span()));
    } else if (e instanceof Expr.IntLit x) {
      return new Expr.IntLit(x.value(), span(x.span()));
    } else if (e instanceof Expr.DecimalLit x) {
      return new Expr.DecimalLit(x.value(), span(x.span()));
    } else if (e instanceof Expr.BoolLit x) {
      return new Expr.BoolLit(x.value(), span(x.span()));
    } else if (e instanceof Expr.NullLit x) {
      return new Expr.NullLit(span(x.span()));
    } else if (e instanceof Expr.Path x) {
      return new Expr.Path(path(x.path()), span(x.span()));
    } else if (e instanceof Expr.Call x) {
      return new Expr.Call(
          name(x.function()),
          x.args().stream().map(this::expr).toList(),
          x.member().map(this::path),
          span(x.span()));
    } else if (e instanceof Expr.Unary x) {
      return new Expr.Unary(x.op(), expr(x.operand()), span(x.span()));
    } else if (e instanceof Expr.Binary x) {
      return new Expr.Binary(x.op(), expr(x.left()), expr(x.right()), span(x.span()));
    } else if (e instanceof Expr.In x) {
      return new Expr.In(
          expr(x.value()),
          x.options().stream().map(this::expr).toList(),
          x.negated(),
          span(x.span()));
    } else {
      Expr.Between x = (Expr.Between) e;
      return new Expr.Between(
          expr(x.value()), expr(x.low()), expr(x.high()), x.negated(), span(x.span()));
    }
  }
}
