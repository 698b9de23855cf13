package io.vigil.compiler.condition;

import io.vigil.dsl.check.TypedExpr;
import io.vigil.dsl.schema.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Prints a checked expression back as text: in the DSL (for {@code vigil explain}) or as a Flink
 * SQL expression for a {@code MATCH_RECOGNIZE} DEFINE/MEASURES clause.
 */
public final class ExpressionText {

  /** Where the expression is printed. */
  public enum Dialect {
    DSL,
    SQL
  }

  private final Dialect dialect;
  // In SQL a field of the current event is qualified with the stage being defined.
  private final Optional<String> currentStage;
  // In SQL count(x) counts x's rows through a field every row has: its stream's time field.
  private final java.util.function.Function<String, String> timeFieldOfStage;

  private ExpressionText(
      Dialect dialect,
      Optional<String> currentStage,
      java.util.function.Function<String, String> timeFieldOfStage) {
    this.dialect = dialect;
    this.currentStage = currentStage;
    this.timeFieldOfStage = timeFieldOfStage;
  }

  public static String dsl(TypedExpr expr) {
    return new ExpressionText(Dialect.DSL, Optional.empty(), stage -> "").print(expr);
  }

  /**
   * SQL text; fields of the current event are qualified with {@code stage} when present; {@code
   * timeFieldOfStage} names the time field of a stage's stream (for {@code count}).
   */
  public static String sql(
      TypedExpr expr,
      Optional<String> stage,
      java.util.function.Function<String, String> timeFieldOfStage) {
    return new ExpressionText(Dialect.SQL, stage, timeFieldOfStage).print(expr);
  }

  private boolean sql() {
    return dialect == Dialect.SQL;
  }

  private String print(TypedExpr e) {
    return print(e, 0);
  }

  private String print(TypedExpr e, int outer) {
    int own = precedence(e);
    String text = bare(e);
    return own < outer ? "(" + text + ")" : text;
  }

  private static int precedence(TypedExpr e) {
    if (e instanceof TypedExpr.Logical l) {
      return l.op() == TypedExpr.LogicalOp.OR ? 1 : 2;
    } else if (e instanceof TypedExpr.Not) {
      return 3;
    } else if (e instanceof TypedExpr.Comparison
        || e instanceof TypedExpr.NullTest
        || e instanceof TypedExpr.InList
        || e instanceof TypedExpr.Between
        || e instanceof TypedExpr.StringTest
        || e instanceof TypedExpr.Matches) {
      return 4;
    } else if (e instanceof TypedExpr.Arithmetic a) {
      return a.op() == TypedExpr.ArithmeticOp.ADD || a.op() == TypedExpr.ArithmeticOp.SUB ? 5 : 6;
    } else if (e instanceof TypedExpr.Negate) {
      return 7;
    }
    return 8;
  }

  private String kw(String dsl, String sqlKeyword) {
    return sql() ? sqlKeyword : dsl;
  }

  private String bare(TypedExpr e) {
    if (e instanceof TypedExpr.Constant c) {
      return constant(c.type(), c.value());
    } else if (e instanceof TypedExpr.NullConstant) {
      return kw("null", "NULL");
    } else if (e instanceof TypedExpr.EventField f) {
      return sql() && currentStage.isPresent() ? currentStage.get() + "." + f.path() : f.path();
    } else if (e instanceof TypedExpr.StageField f) {
      return switch (f.pick()) {
        case ONLY -> f.stage() + "." + f.path();
        case FIRST ->
            sql()
                ? "FIRST(" + f.stage() + "." + f.path() + ")"
                : "first(" + f.stage() + ")." + f.path();
        case LAST ->
            sql()
                ? "LAST(" + f.stage() + "." + f.path() + ")"
                : "last(" + f.stage() + ")." + f.path();
      };
    } else if (e instanceof TypedExpr.StageCount c) {
      return sql()
          ? "COUNT(" + c.stage() + "." + timeFieldOfStage.apply(c.stage()) + ")"
          : "count(" + c.stage() + ")";
    } else if (e instanceof TypedExpr.StageAggregate a) {
      String fn = a.function().name();
      return (sql() ? fn : fn.toLowerCase(Locale.ROOT)) + "(" + a.stage() + "." + a.path() + ")";
    } else if (e instanceof TypedExpr.KeyField k) {
      return k.path();
    } else if (e instanceof TypedExpr.Arithmetic a) {
      int p = precedence(a);
      String op =
          switch (a.op()) {
            case ADD -> "+";
            case SUB -> "-";
            case MUL -> "*";
            case DIV -> "/";
            case MOD -> "%";
          };
      return print(a.left(), p) + " " + op + " " + print(a.right(), p + 1);
    } else if (e instanceof TypedExpr.Negate n) {
      return "-" + print(n.operand(), 7);
    } else if (e instanceof TypedExpr.Comparison c) {
      String op =
          switch (c.op()) {
            case EQ -> sql() ? "=" : "==";
            case NE -> sql() ? "<>" : "!=";
            case LT -> "<";
            case LE -> "<=";
            case GT -> ">";
            case GE -> ">=";
          };
      return print(c.left(), 5) + " " + op + " " + print(c.right(), 5);
    } else if (e instanceof TypedExpr.NullTest n) {
      return print(n.operand(), 5)
          + (sql()
              ? (n.negated() ? " IS NOT NULL" : " IS NULL")
              : (n.negated() ? " != null" : " == null"));
    } else if (e instanceof TypedExpr.Logical l) {
      int p = precedence(l);
      String op = l.op() == TypedExpr.LogicalOp.AND ? kw("and", "AND") : kw("or", "OR");
      return print(l.left(), p) + " " + op + " " + print(l.right(), p + 1);
    } else if (e instanceof TypedExpr.Not n) {
      return kw("not ", "NOT ") + print(n.operand(), 3);
    } else if (e instanceof TypedExpr.InList in) {
      String options =
          in.options().stream().map(o -> print(o, 0)).collect(Collectors.joining(", "));
      String not = in.negated() ? kw("not ", "NOT ") : "";
      return sql()
          ? print(in.value(), 5) + " " + not + "IN (" + options + ")"
          : print(in.value(), 5) + " " + not + "in [" + options + "]";
    } else if (e instanceof TypedExpr.Between b) {
      String not = b.negated() ? kw("not ", "NOT ") : "";
      return print(b.value(), 5)
          + " "
          + not
          + kw("between ", "BETWEEN ")
          + print(b.low(), 5)
          + kw(" and ", " AND ")
          + print(b.high(), 5);
    } else if (e instanceof TypedExpr.StringTest s) {
      if (sql()) {
        String pattern =
            switch (s.op()) {
              case CONTAINS -> "'%' || " + print(s.right(), 5) + " || '%'";
              case STARTS_WITH -> print(s.right(), 5) + " || '%'";
              case ENDS_WITH -> "'%' || " + print(s.right(), 5);
            };
        return print(s.left(), 5) + " LIKE " + pattern;
      }
      String op =
          switch (s.op()) {
            case CONTAINS -> "contains";
            case STARTS_WITH -> "startsWith";
            case ENDS_WITH -> "endsWith";
          };
      return print(s.left(), 5) + " " + op + " " + print(s.right(), 5);
    } else if (e instanceof TypedExpr.Matches m) {
      return sql()
          ? "REGEXP(" + print(m.value(), 0) + ", " + sqlString("^(?:" + m.regex() + ")$") + ")"
          : print(m.value(), 5) + " matches " + dslString(m.regex());
    } else if (e instanceof TypedExpr.Call c) {
      String fn =
          switch (c.function()) {
            case ABS -> "abs";
            case LOWER -> "lower";
            case UPPER -> "upper";
            case LEN -> sql() ? "char_length" : "len";
          };
      return (sql() ? fn.toUpperCase(Locale.ROOT) : fn) + "(" + print(c.argument(), 0) + ")";
    }
    return e.toString();
  }

  private String constant(Type type, Object value) {
    return switch (type) {
      case STRING -> sql() ? sqlString((String) value) : dslString((String) value);
      case DECIMAL -> ((BigDecimal) value).toPlainString();
      case BOOLEAN -> sql() ? value.toString().toUpperCase(Locale.ROOT) : value.toString();
      case TIMESTAMP ->
          sql()
              ? "TIMESTAMP '"
                  + Instant.ofEpochMilli((Long) value).toString().replace('T', ' ').replace("Z", "")
                  + "'"
              : dslString(Instant.ofEpochMilli((Long) value).toString());
      default -> String.valueOf(value);
    };
  }

  private static String dslString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String sqlString(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
