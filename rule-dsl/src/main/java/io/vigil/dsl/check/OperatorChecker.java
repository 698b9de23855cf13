package io.vigil.dsl.check;

import io.vigil.dsl.ast.Expr;
import io.vigil.dsl.check.ExprChecker.Scope;
import io.vigil.dsl.schema.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Types the operators of the language: arithmetic and logic, comparisons and string tests, {@code
 * in} lists and {@code between}. Numbers widen (long to decimal); null compares as unknown.
 */
final class OperatorChecker {
  private final ExprChecker exprs;
  private final Reporter report;
  private final int maxRegexSize;

  OperatorChecker(ExprChecker exprs, Reporter report, int maxRegexSize) {
    this.exprs = exprs;
    this.report = report;
    this.maxRegexSize = maxRegexSize;
  }

  Optional<TypedExpr> unary(Expr.Unary u, Scope scope) {
    Optional<TypedExpr> operand = exprs.check(u.operand(), scope);
    if (operand.isEmpty()) {
      return operand;
    }
    Type t = operand.get().type();
    if (u.op() == Expr.UnaryOp.NOT) {
      if (t != Type.BOOLEAN) {
        return exprs.typeError(
            u.operand().span(),
            "`not` needs true or false, not a " + t.keyword(),
            "negate a condition, e.g. `not success`");
      }
      return Optional.of(new TypedExpr.Not(operand.get()));
    }
    if (!t.numeric()) {
      return exprs.typeError(u.operand().span(), "`-` needs a number, not a " + t.keyword(), "");
    }
    return Optional.of(new TypedExpr.Negate(t == Type.INT ? Type.LONG : t, operand.get()));
  }

  Optional<TypedExpr> binary(Expr.Binary b, Scope scope) {
    Optional<TypedExpr> left = exprs.check(b.left(), scope);
    Optional<TypedExpr> right = exprs.check(b.right(), scope);
    if (left.isEmpty() || right.isEmpty()) {
      return Optional.empty();
    }
    TypedExpr l = left.get();
    TypedExpr r = right.get();
    Type lt = l.type();
    Type rt = r.type();
    Expr.BinaryOp op = b.op();
    if (op.logical()) {
      if (lt != Type.BOOLEAN || rt != Type.BOOLEAN) {
        Expr culprit = lt != Type.BOOLEAN ? b.left() : b.right();
        return exprs.typeError(
            culprit.span(),
            "`"
                + op.symbol
                + "` joins conditions, but this is a "
                + (lt != Type.BOOLEAN ? lt : rt).keyword(),
            "compare it with something, e.g. `x > 0`");
      }
      return Optional.of(
          new TypedExpr.Logical(
              op == Expr.BinaryOp.AND ? TypedExpr.LogicalOp.AND : TypedExpr.LogicalOp.OR, l, r));
    }
    if (op.arithmetic()) {
      if (!lt.numeric() || !rt.numeric()) {
        Expr culprit = !lt.numeric() ? b.left() : b.right();
        return exprs.typeError(
            culprit.span(),
            "`"
                + op.symbol
                + "` needs numbers, but this is a "
                + (!lt.numeric() ? lt : rt).keyword(),
            "arithmetic works on int, long, double and decimal fields");
      }
      return Optional.of(
          new TypedExpr.Arithmetic(
              TypedExpr.ArithmeticOp.valueOf(op.name()), Type.widen(lt, rt), l, r));
    }
    if (op.comparison()) {
      if (lt == Type.NULL || rt == Type.NULL) {
        if (op != Expr.BinaryOp.EQ && op != Expr.BinaryOp.NE) {
          return exprs.typeError(b.span(), "only `==` and `!=` compare with null", "");
        }
        if (lt == Type.NULL && rt == Type.NULL) {
          return exprs.typeError(b.span(), "comparing null with null is always the same", "");
        }
        return Optional.of(new TypedExpr.NullTest(op == Expr.BinaryOp.NE, lt == Type.NULL ? r : l));
      }
      Optional<Type> domain = comparable(lt, rt);
      if (domain.isEmpty()) {
        return exprs.typeError(
            b.span(),
            "cannot compare a " + lt.keyword() + " with a " + rt.keyword(),
            hintForMismatch(lt, rt));
      }
      boolean ordering = op != Expr.BinaryOp.EQ && op != Expr.BinaryOp.NE;
      if (ordering && !domain.get().ordered()) {
        return exprs.typeError(
            b.span(),
            "`" + op.symbol + "` does not order " + domain.get().keyword() + " values",
            "use `==` or `!=`");
      }
      return Optional.of(
          new TypedExpr.Comparison(TypedExpr.CompareOp.valueOf(op.name()), domain.get(), l, r));
    }
    // string tests
    if (lt != Type.STRING) {
      return exprs.typeError(
          b.left().span(), "`" + op.symbol + "` tests strings, but this is a " + lt.keyword(), "");
    }
    if (op == Expr.BinaryOp.MATCHES) {
      if (!(r instanceof TypedExpr.Constant c) || rt != Type.STRING) {
        return exprs.typeError(
            b.right().span(),
            "`matches` takes a regular expression in double quotes",
            "e.g. `merchant matches \"^ACME.*\"`");
      }
      String regex = (String) c.value();
      Optional<RegexCheck.Problem> problem = RegexCheck.problem(regex, maxRegexSize);
      if (problem.isPresent()) {
        return exprs.typeError(b.right().span(), problem.get().message(), problem.get().hint());
      }
      return Optional.of(new TypedExpr.Matches(l, regex));
    }
    if (rt != Type.STRING) {
      return exprs.typeError(
          b.right().span(), "`" + op.symbol + "` tests strings, but this is a " + rt.keyword(), "");
    }
    return Optional.of(new TypedExpr.StringTest(TypedExpr.StringOp.valueOf(op.name()), l, r));
  }

  Optional<TypedExpr> in(Expr.In in, Scope scope) {
    Optional<TypedExpr> value = exprs.check(in.value(), scope);
    List<TypedExpr> options = new ArrayList<>();
    boolean ok = value.isPresent();
    Type domain = value.map(TypedExpr::type).orElse(Type.NULL);
    for (Expr option : in.options()) {
      Optional<TypedExpr> o = exprs.check(option, scope);
      if (o.isEmpty()) {
        ok = false;
        continue;
      }
      if (ok) {
        Optional<Type> d = comparable(domain, o.get().type());
        if (d.isEmpty()) {
          report.error(
              option.span(),
              "`in` list holds a "
                  + o.get().type().keyword()
                  + " but the value is a "
                  + domain.keyword(),
              hintForMismatch(domain, o.get().type()));
          ok = false;
          continue;
        }
        domain = d.get();
      }
      options.add(o.get());
    }
    if (!ok) {
      return Optional.empty();
    }
    return Optional.of(new TypedExpr.InList(domain, value.get(), options, in.negated()));
  }

  Optional<TypedExpr> between(Expr.Between b, Scope scope) {
    Optional<TypedExpr> value = exprs.check(b.value(), scope);
    Optional<TypedExpr> low = exprs.check(b.low(), scope);
    Optional<TypedExpr> high = exprs.check(b.high(), scope);
    if (value.isEmpty() || low.isEmpty() || high.isEmpty()) {
      return Optional.empty();
    }
    Optional<Type> d1 = comparable(value.get().type(), low.get().type());
    Optional<Type> d2 = comparable(value.get().type(), high.get().type());
    if (d1.isEmpty() || d2.isEmpty() || !d1.get().ordered()) {
      return exprs.typeError(
          b.span(),
          "`between` needs ordered values of one kind, got "
              + value.get().type().keyword()
              + " between "
              + low.get().type().keyword()
              + " and "
              + high.get().type().keyword(),
          "e.g. `amount between 900 and 1000`");
    }
    Type domain = d1.get().numeric() ? Type.widen(d1.get(), d2.get()) : d1.get();
    return Optional.of(
        new TypedExpr.Between(domain, value.get(), low.get(), high.get(), b.negated()));
  }

  /** The type two values are compared in, if they can be compared at all. */
  static Optional<Type> comparable(Type a, Type b) {
    if (a.numeric() && b.numeric()) {
      return Optional.of(Type.widen(a, b));
    }
    if (a == Type.TIMESTAMP && (b == Type.TIMESTAMP || b.integral())
        || b == Type.TIMESTAMP && a.integral()) {
      return Optional.of(Type.TIMESTAMP);
    }
    if (a == b && a != Type.NULL) {
      return Optional.of(a);
    }
    return Optional.empty();
  }

  private static String hintForMismatch(Type a, Type b) {
    if (a == Type.STRING || b == Type.STRING) {
      return "strings are compared with strings: put the value in double quotes, or compare a numeric field";
    }
    if (a == Type.BOOLEAN || b == Type.BOOLEAN) {
      return "booleans are compared with true or false, or used directly: `success`, `not success`";
    }
    return "compare values of the same kind";
  }
}
