package io.vigil.compiler.condition;

import com.google.re2j.Pattern;
import io.vigil.compiler.event.Event;
import io.vigil.dsl.check.TypedExpr.CompareOp;
import io.vigil.dsl.check.TypedExpr.StringOp;
import java.math.BigDecimal;
import java.util.List;

/**
 * The boolean nodes of the closure tree, under Kleene's three-valued logic (see {@link Test}).
 * Comparisons are specialised by domain so that the common case ({@code field op constant}) is one
 * array read, one null check and one primitive or {@code compareTo} comparison.
 */
final class Tests {

  private Tests() {}

  /** Whether a comparison result {@code c} (as from compareTo) satisfies {@code op}. */
  static boolean holds(CompareOp op, int c) {
    return switch (op) {
      case EQ -> c == 0;
      case NE -> c != 0;
      case LT -> c < 0;
      case LE -> c <= 0;
      case GT -> c > 0;
      case GE -> c >= 0;
    };
  }

  /** Base of the comparisons: UNKNOWN when either side is null, otherwise TRUE or FALSE. */
  abstract static class Comparison implements Test {
    final CompareOp op;
    final Value left;
    final Value right;

    Comparison(CompareOp op, Value left, Value right) {
      this.op = op;
      this.left = left;
      this.right = right;
    }

    /** compareTo-style result of two non-null operands. */
    abstract int compare(Object l, Object r);

    @Override
    public final boolean isTrue(Event event, MatchView match) {
      Object l = left.get(event, match);
      if (l == null) {
        return false;
      }
      Object r = right.get(event, match);
      return r != null && holds(op, compare(l, r));
    }

    @Override
    public final boolean isFalse(Event event, MatchView match) {
      Object l = left.get(event, match);
      if (l == null) {
        return false;
      }
      Object r = right.get(event, match);
      return r != null && !holds(op, compare(l, r));
    }
  }

  /** INT, LONG and TIMESTAMP (epoch milliseconds). */
  static final class LongComparison extends Comparison {
    LongComparison(CompareOp op, Value left, Value right) {
      super(op, left, right);
    }

    @Override
    int compare(Object l, Object r) {
      return Long.compare((Long) l, (Long) r);
    }
  }

  static final class DoubleComparison extends Comparison {
    DoubleComparison(CompareOp op, Value left, Value right) {
      super(op, left, right);
    }

    @Override
    int compare(Object l, Object r) {
      return Double.compare((Double) l, (Double) r);
    }
  }

  /** Decimals compare by value: {@code 2.0 == 2.00}. */
  static final class DecimalComparison extends Comparison {
    DecimalComparison(CompareOp op, Value left, Value right) {
      super(op, left, right);
    }

    @Override
    int compare(Object l, Object r) {
      return ((BigDecimal) l).compareTo((BigDecimal) r);
    }
  }

  static final class StringComparison extends Comparison {
    StringComparison(CompareOp op, Value left, Value right) {
      super(op, left, right);
    }

    @Override
    int compare(Object l, Object r) {
      return ((String) l).compareTo((String) r);
    }
  }

  static final class BooleanComparison extends Comparison {
    BooleanComparison(CompareOp op, Value left, Value right) {
      super(op, left, right);
    }

    @Override
    int compare(Object l, Object r) {
      return Boolean.compare((Boolean) l, (Boolean) r);
    }
  }

  /** {@code x == null} / {@code x != null}: never UNKNOWN. */
  record NullTest(boolean negated, Value operand) implements Test {
    @Override
    public boolean isTrue(Event event, MatchView match) {
      return (operand.get(event, match) == null) != negated;
    }

    @Override
    public boolean isFalse(Event event, MatchView match) {
      return !isTrue(event, match);
    }
  }

  record And(Test left, Test right) implements Test {
    @Override
    public boolean isTrue(Event event, MatchView match) {
      return left.isTrue(event, match) && right.isTrue(event, match);
    }

    @Override
    public boolean isFalse(Event event, MatchView match) {
      return left.isFalse(event, match) || right.isFalse(event, match);
    }
  }

  record Or(Test left, Test right) implements Test {
    @Override
    public boolean isTrue(Event event, MatchView match) {
      return left.isTrue(event, match) || right.isTrue(event, match);
    }

    @Override
    public boolean isFalse(Event event, MatchView match) {
      return left.isFalse(event, match) && right.isFalse(event, match);
    }
  }

  record Not(Test operand) implements Test {
    @Override
    public boolean isTrue(Event event, MatchView match) {
      return operand.isFalse(event, match);
    }

    @Override
    public boolean isFalse(Event event, MatchView match) {
      return operand.isTrue(event, match);
    }
  }

  /** A boolean value used as a condition: {@code success}, {@code a.flag}, {@code true}. */
  record OfValue(Value operand) implements Test {
    @Override
    public boolean isTrue(Event event, MatchView match) {
      return Boolean.TRUE.equals(operand.get(event, match));
    }

    @Override
    public boolean isFalse(Event event, MatchView match) {
      return Boolean.FALSE.equals(operand.get(event, match));
    }
  }

  /** The constant {@code true} (e.g. {@code seen: true}). */
  record Always() implements Test {
    @Override
    public boolean isTrue(Event event, MatchView match) {
      return true;
    }

    @Override
    public boolean isFalse(Event event, MatchView match) {
      return false;
    }
  }

  /**
   * {@code x in [a, b, ...]}: TRUE when x equals an option, UNKNOWN when x is null, FALSE otherwise
   * (null options never equal anything). {@code not in} swaps TRUE and FALSE.
   */
  record InList(Value value, List<Comparison> equalities, boolean negated) implements Test {
    private Boolean member(Event event, MatchView match) {
      if (value.get(event, match) == null) {
        return null;
      }
      for (Comparison eq : equalities) {
        if (eq.isTrue(event, match)) {
          return Boolean.TRUE;
        }
      }
      return Boolean.FALSE;
    }

    @Override
    public boolean isTrue(Event event, MatchView match) {
      Boolean m = member(event, match);
      return m != null && m != negated;
    }

    @Override
    public boolean isFalse(Event event, MatchView match) {
      Boolean m = member(event, match);
      return m != null && m == negated;
    }
  }

  /** {@code x between lo and hi}, bounds included; UNKNOWN when x or a bound is null. */
  record Between(Comparison atLeastLow, Comparison atMostHigh, boolean negated) implements Test {
    private Boolean inside(Event event, MatchView match) {
      if (atLeastLow.isTrue(event, match)) {
        if (atMostHigh.isTrue(event, match)) {
          return Boolean.TRUE;
        }
        return atMostHigh.isFalse(event, match) ? Boolean.FALSE : null;
      }
      if (atLeastLow.isFalse(event, match)
          && (atMostHigh.isTrue(event, match) || atMostHigh.isFalse(event, match))) {
        return Boolean.FALSE;
      }
      return null;
    }

    @Override
    public boolean isTrue(Event event, MatchView match) {
      Boolean in = inside(event, match);
      return in != null && in != negated;
    }

    @Override
    public boolean isFalse(Event event, MatchView match) {
      Boolean in = inside(event, match);
      return in != null && in == negated;
    }
  }

  record StringTest(StringOp op, Value left, Value right) implements Test {
    private Boolean test(Event event, MatchView match) {
      Object l = left.get(event, match);
      Object r = l == null ? null : right.get(event, match);
      if (r == null) {
        return null;
      }
      String s = (String) l;
      String t = (String) r;
      return switch (op) {
        case CONTAINS -> s.contains(t);
        case STARTS_WITH -> s.startsWith(t);
        case ENDS_WITH -> s.endsWith(t);
      };
    }

    @Override
    public boolean isTrue(Event event, MatchView match) {
      return Boolean.TRUE.equals(test(event, match));
    }

    @Override
    public boolean isFalse(Event event, MatchView match) {
      return Boolean.FALSE.equals(test(event, match));
    }
  }

  /**
   * {@code x matches "re"}: the whole string must match. RE2/J matches in time linear in the
   * string, so no expression stalls on a crafted value.
   */
  record Matches(Value value, Pattern regex) implements Test {
    @Override
    public boolean isTrue(Event event, MatchView match) {
      Object v = value.get(event, match);
      return v != null && regex.matcher((String) v).matches();
    }

    @Override
    public boolean isFalse(Event event, MatchView match) {
      Object v = value.get(event, match);
      return v != null && !regex.matcher((String) v).matches();
    }
  }
}
