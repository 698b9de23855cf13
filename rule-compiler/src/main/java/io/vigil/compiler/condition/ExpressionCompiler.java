package io.vigil.compiler.condition;

import com.google.re2j.Pattern;
import io.vigil.dsl.check.TypedExpr;
import io.vigil.dsl.check.TypedExpr.CompareOp;
import io.vigil.dsl.schema.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns checked expressions into closure trees. Constants are converted once, here, into the domain
 * of the operation that uses them (e.g. {@code amount >= 500} on a decimal field compares with a
 * pre-built {@code BigDecimal}); constant sub-expressions are folded.
 */
public final class ExpressionCompiler {

  private ExpressionCompiler() {}

  /** A condition (stage condition, {@code until}, {@code having}). */
  public static CompiledCondition condition(TypedExpr expr) {
    return condition(expr, new EvaluationFailures("(unnamed)"), "condition");
  }

  /**
   * A condition whose failures at evaluation are counted by {@code failures} as {@code what} (e.g.
   * {@code condition of stage a}).
   */
  public static CompiledCondition condition(
      TypedExpr expr, EvaluationFailures failures, String what) {
    return new CompiledCondition(
        test(expr),
        readsMatch(expr),
        EventRequirements.values(expr),
        EventRequirements.bounds(expr),
        EventRequirements.leadingBound(expr),
        EventRequirements.isOnlyLeadingBound(expr),
        EventRequirements.failureFreeExpression(expr),
        failures,
        what);
  }

  /** A value (template hole). */
  public static CompiledValue value(TypedExpr expr) {
    return new CompiledValue(valueOf(expr), expr.type());
  }

  /**
   * True when {@code expr} reads anything besides the current event (another stage, a count, an
   * aggregate, the partition key): such a condition needs Flink's iterative context.
   */
  public static boolean readsMatch(TypedExpr expr) {
    if (expr instanceof TypedExpr.StageField
        || expr instanceof TypedExpr.StageCount
        || expr instanceof TypedExpr.StageAggregate
        || expr instanceof TypedExpr.KeyField) {
      return true;
    }
    return children(expr).stream().anyMatch(ExpressionCompiler::readsMatch);
  }

  /**
   * The conjuncts of {@code expr}'s top-level {@code and} chain that read nothing but the current
   * event, joined by {@code and} in their order; empty when there is none. Whenever {@code expr} is
   * TRUE so is this (a TRUE {@code and} has TRUE operands), so an event it does not hold for can be
   * turned away without reading the match.
   */
  public static java.util.Optional<TypedExpr> eventConjuncts(TypedExpr expr) {
    return conjuncts(expr, false);
  }

  /**
   * The conjuncts of {@code expr}'s top-level {@code and} chain that read more than the current
   * event, joined by {@code and} in their order; empty when there is none. {@code expr} is TRUE
   * exactly when these and {@link #eventConjuncts} are (an evaluation that fails makes either not
   * TRUE, as it makes {@code expr}).
   */
  public static java.util.Optional<TypedExpr> matchConjuncts(TypedExpr expr) {
    return conjuncts(expr, true);
  }

  /** The conjuncts of the top-level {@code and} chain that read the match, or those that do not. */
  private static java.util.Optional<TypedExpr> conjuncts(TypedExpr expr, boolean readingMatch) {
    if (expr instanceof TypedExpr.Logical l && l.op() == TypedExpr.LogicalOp.AND) {
      java.util.Optional<TypedExpr> left = conjuncts(l.left(), readingMatch);
      java.util.Optional<TypedExpr> right = conjuncts(l.right(), readingMatch);
      if (left.isPresent() && right.isPresent()) {
        return java.util.Optional.of(
            new TypedExpr.Logical(TypedExpr.LogicalOp.AND, left.get(), right.get()));
      }
      return left.isPresent() ? left : right;
    }
    return readsMatch(expr) == readingMatch
        ? java.util.Optional.of(expr)
        : java.util.Optional.empty();
  }

  /** The stages {@code expr} refers to, in order of appearance (with repeats). */
  public static List<String> stagesRead(TypedExpr expr) {
    List<String> out = new ArrayList<>();
    collectStages(expr, out);
    return out;
  }

  private static void collectStages(TypedExpr expr, List<String> out) {
    if (expr instanceof TypedExpr.StageField f) {
      out.add(f.stage());
    } else if (expr instanceof TypedExpr.StageCount c) {
      out.add(c.stage());
    } else if (expr instanceof TypedExpr.StageAggregate a) {
      out.add(a.stage());
    }
    children(expr).forEach(child -> collectStages(child, out));
  }

  static List<TypedExpr> children(TypedExpr expr) {
    if (expr instanceof TypedExpr.Arithmetic a) {
      return List.of(a.left(), a.right());
    } else if (expr instanceof TypedExpr.Negate n) {
      return List.of(n.operand());
    } else if (expr instanceof TypedExpr.Comparison c) {
      return List.of(c.left(), c.right());
    } else if (expr instanceof TypedExpr.NullTest n) {
      return List.of(n.operand());
    } else if (expr instanceof TypedExpr.Logical l) {
      return List.of(l.left(), l.right());
    } else if (expr instanceof TypedExpr.Not n) {
      return List.of(n.operand());
    } else if (expr instanceof TypedExpr.InList in) {
      List<TypedExpr> all = new ArrayList<>(in.options());
      all.add(0, in.value());
      return all;
    } else if (expr instanceof TypedExpr.Between b) {
      return List.of(b.value(), b.low(), b.high());
    } else if (expr instanceof TypedExpr.StringTest s) {
      return List.of(s.left(), s.right());
    } else if (expr instanceof TypedExpr.Matches m) {
      return List.of(m.value());
    } else if (expr instanceof TypedExpr.Call c) {
      return List.of(c.argument());
    }
    return List.of();
  }

  // ------------------------------------------------------------------ tests

  static Test test(TypedExpr expr) {
    if (expr instanceof TypedExpr.Comparison c) {
      return comparison(c.op(), c.domain(), c.left(), c.right());
    } else if (expr instanceof TypedExpr.Logical l) {
      Test left = test(l.left());
      Test right = test(l.right());
      return l.op() == TypedExpr.LogicalOp.AND
          ? new Tests.And(left, right)
          : new Tests.Or(left, right);
    } else if (expr instanceof TypedExpr.Not n) {
      return new Tests.Not(test(n.operand()));
    } else if (expr instanceof TypedExpr.NullTest n) {
      return new Tests.NullTest(n.negated(), valueOf(n.operand()));
    } else if (expr instanceof TypedExpr.InList in) {
      List<Tests.Comparison> equalities = new ArrayList<>();
      for (TypedExpr option : in.options()) {
        if (!(option instanceof TypedExpr.NullConstant)) {
          equalities.add(comparison(CompareOp.EQ, in.domain(), in.value(), option));
        }
      }
      return new Tests.InList(valueOf(in.value()), equalities, in.negated());
    } else if (expr instanceof TypedExpr.Between b) {
      return new Tests.Between(
          comparison(CompareOp.GE, b.domain(), b.value(), b.low()),
          comparison(CompareOp.LE, b.domain(), b.value(), b.high()),
          b.negated());
    } else if (expr instanceof TypedExpr.StringTest s) {
      return new Tests.StringTest(s.op(), valueOf(s.left()), valueOf(s.right()));
    } else if (expr instanceof TypedExpr.Matches m) {
      return new Tests.Matches(valueOf(m.value()), Pattern.compile(m.regex()));
    } else if (expr instanceof TypedExpr.Constant c && c.type() == Type.BOOLEAN) {
      return Boolean.TRUE.equals(c.value())
          ? new Tests.Always()
          : new Tests.Not(new Tests.Always());
    } else if (expr.type() == Type.BOOLEAN || expr.type() == Type.NULL) {
      return new Tests.OfValue(valueOf(expr));
    }
    throw new IllegalArgumentException("not a condition: " + expr);
  }

  private static Tests.Comparison comparison(
      CompareOp op, Type domain, TypedExpr left, TypedExpr right) {
    Value l = inDomain(domain, left);
    Value r = inDomain(domain, right);
    return switch (domain) {
      case INT, LONG, TIMESTAMP -> new Tests.LongComparison(op, l, r);
      case DOUBLE -> new Tests.DoubleComparison(op, l, r);
      case DECIMAL -> new Tests.DecimalComparison(op, l, r);
      case STRING -> new Tests.StringComparison(op, l, r);
      case BOOLEAN -> new Tests.BooleanComparison(op, l, r);
      case NULL -> throw new IllegalArgumentException("comparison in the null domain: " + op);
    };
  }

  // ------------------------------------------------------------------ values

  /** {@code expr} converted to {@code domain}; constants are converted now, not per event. */
  static Value inDomain(Type domain, TypedExpr expr) {
    Value v = valueOf(expr);
    if (sameRepresentation(expr.type(), domain) || expr.type() == Type.NULL) {
      return v;
    }
    return fold(new Values.Convert(domain, v));
  }

  static boolean sameRepresentation(Type a, Type b) {
    if (a == b) {
      return true;
    }
    // INT, LONG and TIMESTAMP are all held as Long.
    boolean aLong = a == Type.INT || a == Type.LONG || a == Type.TIMESTAMP;
    boolean bLong = b == Type.INT || b == Type.LONG || b == Type.TIMESTAMP;
    return aLong && bLong;
  }

  static Value valueOf(TypedExpr expr) {
    if (expr instanceof TypedExpr.Constant c) {
      return new Values.Constant(c.value());
    } else if (expr instanceof TypedExpr.NullConstant) {
      return new Values.Constant(null);
    } else if (expr instanceof TypedExpr.EventField f) {
      return new Values.Field(f.index());
    } else if (expr instanceof TypedExpr.StageField f) {
      return new Values.StageField(f.stage(), f.pick(), f.index());
    } else if (expr instanceof TypedExpr.StageCount c) {
      return new Values.Count(c.stage());
    } else if (expr instanceof TypedExpr.StageAggregate a) {
      return new Values.StageAggregate(a.function(), a.type(), a.stage(), a.index());
    } else if (expr instanceof TypedExpr.KeyField k) {
      return new Values.Key(k.position());
    } else if (expr instanceof TypedExpr.Arithmetic a) {
      return fold(
          new Values.Arithmetic(
              a.op(), a.type(), inDomain(a.type(), a.left()), inDomain(a.type(), a.right())));
    } else if (expr instanceof TypedExpr.Negate n) {
      return fold(new Values.Negate(n.type(), inDomain(n.type(), n.operand())));
    } else if (expr instanceof TypedExpr.Call c) {
      Value arg = valueOf(c.argument());
      return fold(
          switch (c.function()) {
            case ABS -> new Values.Abs(c.type(), arg);
            case LOWER -> new Values.Lower(arg);
            case UPPER -> new Values.Upper(arg);
            case LEN -> new Values.Length(arg);
          });
    } else if (expr.type() == Type.BOOLEAN) {
      return new Values.OfTest(test(expr));
    }
    throw new IllegalArgumentException("not a value: " + expr);
  }

  /** Evaluates a node whose operands are all constants once, at compile time. */
  private static Value fold(Value v) {
    boolean allConstant =
        (v instanceof Values.Convert c && c.operand().constant())
            || (v instanceof Values.Arithmetic a && a.left().constant() && a.right().constant())
            || (v instanceof Values.Negate n && n.operand().constant())
            || (v instanceof Values.Abs a2 && a2.operand().constant())
            || (v instanceof Values.Lower l && l.operand().constant())
            || (v instanceof Values.Upper u && u.operand().constant())
            || (v instanceof Values.Length len && len.operand().constant());
    return allConstant ? new Values.Constant(v.get(null, MatchView.NONE)) : v;
  }
}
