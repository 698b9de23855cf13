package io.vigil.compiler.condition;

import io.vigil.dsl.check.TypedExpr;
import io.vigil.dsl.check.TypedExpr.CompareOp;
import io.vigil.dsl.schema.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * What a condition requires of the event before it can be true, read off its checked expression:
 * the texts of its {@code field == text} conjuncts ({@link RequiredValue}) and the bounds of its
 * {@code field > constant} conjuncts ({@link RequiredBound}). The matcher indexes rules and partial
 * matches by them.
 */
final class EventRequirements {

  private EventRequirements() {}

  /** See {@link #collectRequired}. */
  static List<RequiredValue> values(TypedExpr expr) {
    List<RequiredValue> out = new ArrayList<>();
    collectRequired(expr, out);
    return out;
  }

  /** See {@link #collectBounds}. */
  static List<RequiredBound> bounds(TypedExpr expr) {
    List<RequiredBound> out = new ArrayList<>();
    collectBounds(expr, out);
    return out;
  }

  /**
   * The first bound of the top-level {@code and} chain that only comparisons of an event field with
   * a constant precede, if there is one. The condition evaluates its conjuncts in order and stops
   * at the first that is not TRUE; those comparisons cannot fail on an event whose fields hold
   * their types' representations (as decoding makes them). So an event that does not keep the bound
   * makes the condition false without an evaluation that could fail.
   */
  static java.util.Optional<RequiredBound> leadingBound(TypedExpr expr) {
    List<TypedExpr> conjuncts = new ArrayList<>();
    conjuncts(expr, conjuncts);
    for (TypedExpr conjunct : conjuncts) {
      List<RequiredBound> bound = bounds(conjunct);
      if (!bound.isEmpty()) {
        return java.util.Optional.of(bound.get(0));
      }
      if (!comparesFieldWithConstant(conjunct)) {
        return java.util.Optional.empty();
      }
    }
    return java.util.Optional.empty();
  }

  /** Whether {@code expr} is its {@link #leadingBound} and nothing else. */
  static boolean isOnlyLeadingBound(TypedExpr expr) {
    return expr instanceof TypedExpr.Comparison && leadingBound(expr).isPresent();
  }

  /**
   * {@code expr} when its evaluation cannot fail: it is made of comparisons of event fields with
   * constants, null tests of event fields and boolean fields, joined by {@code and}, {@code or} and
   * {@code not}. Two such conditions with equal expressions are TRUE for the same events (of one
   * stream), and neither counts an evaluation failure, so one may be evaluated for both.
   */
  static java.util.Optional<TypedExpr> failureFreeExpression(TypedExpr expr) {
    return failureFree(expr) ? java.util.Optional.of(expr) : java.util.Optional.empty();
  }

  private static boolean failureFree(TypedExpr expr) {
    if (expr instanceof TypedExpr.Logical l) {
      return failureFree(l.left()) && failureFree(l.right());
    } else if (expr instanceof TypedExpr.Not n) {
      return failureFree(n.operand());
    } else if (expr instanceof TypedExpr.EventField f) {
      return f.type() == Type.BOOLEAN;
    } else if (expr instanceof TypedExpr.Constant c) {
      return c.type() == Type.BOOLEAN;
    }
    return comparesFieldWithConstant(expr);
  }

  /** The conjuncts of the top-level {@code and} chain, in the order they are evaluated. */
  private static void conjuncts(TypedExpr expr, List<TypedExpr> out) {
    if (expr instanceof TypedExpr.Logical l && l.op() == TypedExpr.LogicalOp.AND) {
      conjuncts(l.left(), out);
      conjuncts(l.right(), out);
    } else {
      out.add(expr);
    }
  }

  /**
   * A comparison of an event field, in its own representation, with a constant ({@code status ==
   * "APPROVED"}, {@code amount != 0}, {@code site == null}): no arithmetic, nothing read of the
   * match, nothing to fail.
   */
  private static boolean comparesFieldWithConstant(TypedExpr expr) {
    if (expr instanceof TypedExpr.NullTest n) {
      return n.operand() instanceof TypedExpr.EventField;
    }
    if (!(expr instanceof TypedExpr.Comparison c) || c.domain() == Type.NULL) {
      return false;
    }
    return fieldAndConstant(c.domain(), c.left(), c.right())
        || fieldAndConstant(c.domain(), c.right(), c.left());
  }

  private static boolean fieldAndConstant(Type domain, TypedExpr field, TypedExpr other) {
    return field instanceof TypedExpr.EventField f
        && ExpressionCompiler.sameRepresentation(f.type(), domain)
        && (other instanceof TypedExpr.Constant || other instanceof TypedExpr.NullConstant)
        && ExpressionCompiler.inDomain(domain, other).constant();
  }

  /**
   * The {@code field < constant} (and {@code <=}, {@code >}, {@code >=}) conjuncts of the top-level
   * {@code and} chain where the field is compared in its own representation: each must hold for the
   * condition to be true (a comparison with a null operand is not true either).
   */
  private static void collectBounds(TypedExpr expr, List<RequiredBound> out) {
    if (expr instanceof TypedExpr.Logical l && l.op() == TypedExpr.LogicalOp.AND) {
      collectBounds(l.left(), out);
      collectBounds(l.right(), out);
    } else if (expr instanceof TypedExpr.Comparison c) {
      bound(c.op(), c.domain(), c.left(), c.right())
          .or(() -> bound(mirrored(c.op()), c.domain(), c.right(), c.left()))
          .ifPresent(out::add);
    }
  }

  private static java.util.Optional<RequiredBound> bound(
      CompareOp op, Type domain, TypedExpr field, TypedExpr other) {
    RequiredBound.Side side =
        switch (op) {
          case GT -> RequiredBound.Side.ABOVE;
          case GE -> RequiredBound.Side.AT_LEAST;
          case LT -> RequiredBound.Side.BELOW;
          case LE -> RequiredBound.Side.AT_MOST;
          case EQ, NE -> null;
        };
    RequiredBound.Order order =
        switch (domain) {
          case INT, LONG, TIMESTAMP -> RequiredBound.Order.LONG;
          case DOUBLE -> RequiredBound.Order.DOUBLE;
          case DECIMAL -> RequiredBound.Order.DECIMAL;
          case STRING -> RequiredBound.Order.STRING;
          case BOOLEAN, NULL -> null;
        };
    if (side == null
        || order == null
        || !(field instanceof TypedExpr.EventField f)
        || !ExpressionCompiler.sameRepresentation(f.type(), domain)
        || ExpressionCompiler.readsMatch(other)) {
      return java.util.Optional.empty();
    }
    Value constant = ExpressionCompiler.inDomain(domain, other);
    if (!constant.constant()) {
      return java.util.Optional.empty();
    }
    Object value = constant.get((io.vigil.compiler.event.Event) null, null);
    if (value == null || !order.accepts(value)) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new RequiredBound(f.index(), side, value, order));
  }

  /** The operator with its operands swapped: {@code 5 < x} is {@code x > 5}. */
  private static CompareOp mirrored(CompareOp op) {
    return switch (op) {
      case LT -> CompareOp.GT;
      case LE -> CompareOp.GE;
      case GT -> CompareOp.LT;
      case GE -> CompareOp.LE;
      case EQ, NE -> op;
    };
  }

  /**
   * The {@code field == text} conjuncts of the top-level {@code and} chain, where the text is a
   * constant or a field of an earlier stage: each must hold for the condition to be true (a string
   * comparison with a null operand is not true either).
   */
  private static void collectRequired(TypedExpr expr, List<RequiredValue> out) {
    if (expr instanceof TypedExpr.Logical l && l.op() == TypedExpr.LogicalOp.AND) {
      collectRequired(l.left(), out);
      collectRequired(l.right(), out);
    } else if (expr instanceof TypedExpr.Comparison c
        && c.op() == TypedExpr.CompareOp.EQ
        && c.domain() == Type.STRING) {
      required(c.left(), c.right()).or(() -> required(c.right(), c.left())).ifPresent(out::add);
    }
  }

  private static java.util.Optional<RequiredValue> required(TypedExpr field, TypedExpr other) {
    if (field instanceof TypedExpr.EventField f
        && (other instanceof TypedExpr.Constant || other instanceof TypedExpr.StageField)
        && other.type() == Type.STRING) {
      return java.util.Optional.of(new RequiredValue(f.index(), ExpressionCompiler.valueOf(other)));
    }
    return java.util.Optional.empty();
  }
}
