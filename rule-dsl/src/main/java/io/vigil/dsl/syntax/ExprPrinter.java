package io.vigil.dsl.syntax;

import io.vigil.dsl.ast.Expr;
import io.vigil.dsl.ast.FieldPath;
import java.util.stream.Collectors;

/**
 * Prints an expression as DSL source with only the parentheses its structure needs, so that parsing
 * the text gives the same expression back (a property the tests check on random trees).
 */
public final class ExprPrinter {

  // Binding strength, as the grammar lists the alternatives of `expr`.
  private static final int OR = 10;
  private static final int AND = 20;
  private static final int NOT = 30;
  private static final int STRING_TEST = 40;
  private static final int BETWEEN = 41;
  private static final int IN = 42;
  private static final int COMPARISON = 43;
  private static final int ADDITIVE = 50;
  private static final int MULTIPLICATIVE = 60;
  private static final int NEGATE = 70;
  private static final int PRIMARY = 80;

  private ExprPrinter() {}

  public static String print(Expr e) {
    if (e instanceof Expr.StringLit s) {
      return quote(s.value());
    } else if (e instanceof Expr.IntLit i) {
      return Long.toString(i.value());
    } else if (e instanceof Expr.DecimalLit d) {
      return d.value().toPlainString();
    } else if (e instanceof Expr.BoolLit b) {
      return Boolean.toString(b.value());
    } else if (e instanceof Expr.NullLit) {
      return "null";
    } else if (e instanceof Expr.Path p) {
      return p.path().dotted();
    } else if (e instanceof Expr.Call c) {
      return c.function().text()
          + "("
          + c.args().stream().map(ExprPrinter::print).collect(Collectors.joining(", "))
          + ")"
          + c.member().map(m -> "." + m.dotted()).orElse("");
    } else if (e instanceof Expr.Unary u) {
      int level = u.op() == Expr.UnaryOp.NOT ? NOT : NEGATE;
      String prefix = u.op() == Expr.UnaryOp.NOT ? "not " : "-";
      // A negative literal after `-` would read as `--`; parentheses keep it one token apart.
      return prefix + operand(u.operand(), level, false);
    } else if (e instanceof Expr.Binary b) {
      int level = level(b.op());
      return operand(b.left(), level, false)
          + " "
          + b.op().symbol
          + " "
          + operand(b.right(), level, true);
    } else if (e instanceof Expr.In in) {
      return operand(in.value(), IN, false)
          + (in.negated() ? " not in [" : " in [")
          + in.options().stream().map(ExprPrinter::print).collect(Collectors.joining(", "))
          + "]";
    } else {
      Expr.Between b = (Expr.Between) e;
      return operand(b.value(), BETWEEN, false)
          + (b.negated() ? " not between " : " between ")
          + bound(b.low())
          + " and "
          + bound(b.high());
    }
  }

  public static String print(FieldPath path) {
    return path.dotted();
  }

  private static String operand(Expr e, int parentLevel, boolean right) {
    int level = level(e);
    boolean parens = right ? level <= parentLevel : level < parentLevel;
    return parens ? "(" + print(e) + ")" : print(e);
  }

  private static String bound(Expr e) {
    boolean simple =
        e instanceof Expr.Path
            || e instanceof Expr.Call
            || e instanceof Expr.StringLit
            || e instanceof Expr.IntLit
            || e instanceof Expr.DecimalLit
            || e instanceof Expr.BoolLit
            || e instanceof Expr.NullLit;
    return simple ? print(e) : "(" + print(e) + ")";
  }

  private static int level(Expr e) {
    if (e instanceof Expr.Binary b) {
      return level(b.op());
    } else if (e instanceof Expr.Unary u) {
      return u.op() == Expr.UnaryOp.NOT ? NOT : NEGATE;
    } else if (e instanceof Expr.In) {
      return IN;
    } else if (e instanceof Expr.Between) {
      return BETWEEN;
    } else if (e instanceof Expr.IntLit i && i.value() < 0
        || e instanceof Expr.DecimalLit d && d.value().signum() < 0) {
      return NEGATE;
    }
    return PRIMARY;
  }

  private static int level(Expr.BinaryOp op) {
    if (op == Expr.BinaryOp.OR) {
      return OR;
    } else if (op == Expr.BinaryOp.AND) {
      return AND;
    } else if (op.arithmetic()) {
      return op == Expr.BinaryOp.ADD || op == Expr.BinaryOp.SUB ? ADDITIVE : MULTIPLICATIVE;
    } else if (op.stringTest()) {
      return STRING_TEST;
    }
    return COMPARISON;
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
