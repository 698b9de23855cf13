package io.vigil.compiler.condition;

import io.vigil.compiler.event.Event;
import io.vigil.dsl.check.TypedExpr.Aggregate;
import io.vigil.dsl.check.TypedExpr.ArithmeticOp;
import io.vigil.dsl.check.TypedExpr.Pick;
import io.vigil.dsl.schema.Type;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Iterator;
import java.util.Locale;

/**
 * The value nodes of the closure tree. Each node is a small final class so that the JIT can inline
 * the calls of a typical condition; none allocates on the path of a field read or a comparison.
 */
final class Values {

  private Values() {}

  /** Division of decimals keeps 34 significant digits (IEEE 754 decimal128) when not exact. */
  static final MathContext DECIMAL_DIVISION = MathContext.DECIMAL128;

  record Constant(Object value) implements Value {
    @Override
    public Object get(Event event, MatchView match) {
      return value;
    }

    @Override
    public boolean constant() {
      return true;
    }
  }

  /** A field of the event under test, by index: no lookup on the hot path. */
  record Field(int index) implements Value {
    @Override
    public Object get(Event event, MatchView match) {
      // A template or `having` has no current event; the checker does not let EventField in there,
      // the null check only keeps a misuse from becoming an exception.
      return event == null ? null : event.value(index);
    }
  }

  /** {@code a.f}, {@code first(a).f}, {@code last(a).f}: an event accepted by a stage. */
  record StageField(String stage, Pick pick, int index) implements Value {
    @Override
    public Object get(Event event, MatchView match) {
      Event chosen;
      if (pick == Pick.FIRST) {
        Iterable<Event> accepted = match.events(stage);
        if (accepted instanceof java.util.List<Event> list
            && accepted instanceof java.util.RandomAccess) {
          // The common case, read without an iterator (this runs per condition and partial match).
          chosen = list.isEmpty() ? null : list.get(0);
        } else {
          Iterator<Event> events = accepted.iterator();
          chosen = events.hasNext() ? events.next() : null;
        }
      } else {
        // ONLY and LAST both read the latest event: for a single-event stage it is the only one.
        chosen = match.latest(stage);
      }
      return chosen == null ? null : chosen.value(index);
    }
  }

  record Count(String stage) implements Value {
    @Override
    public Object get(Event event, MatchView match) {
      long n = 0;
      for (Event ignored : match.events(stage)) {
        n++;
      }
      return n;
    }
  }

  /** sum/avg/min/max over a stage's events, skipping nulls; null when no value is present. */
  record StageAggregate(Aggregate function, Type type, String stage, int index) implements Value {
    @Override
    public Object get(Event event, MatchView match) {
      return switch (function) {
        case SUM, AVG -> sumOrAverage(match);
        case MIN, MAX -> extreme(match);
      };
    }

    private Object sumOrAverage(MatchView match) {
      long count = 0;
      long longSum = 0;
      double doubleSum = 0;
      BigDecimal decimalSum = BigDecimal.ZERO;
      for (Event e : match.events(stage)) {
        Object v = e.value(index);
        if (v == null) {
          continue;
        }
        count++;
        switch (type) {
          case DOUBLE -> doubleSum += ((Number) v).doubleValue();
          case DECIMAL -> decimalSum = decimalSum.add(Coercions.toDecimal(v));
          default -> longSum = Math.addExact(longSum, ((Number) v).longValue());
        }
      }
      if (count == 0) {
        return null;
      }
      boolean avg = function == Aggregate.AVG;
      return switch (type) {
        case DOUBLE -> avg ? doubleSum / count : doubleSum;
        case DECIMAL ->
            avg ? decimalSum.divide(BigDecimal.valueOf(count), DECIMAL_DIVISION) : decimalSum;
        default -> avg ? longSum / count : longSum;
      };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object extreme(MatchView match) {
      Comparable best = null;
      for (Event e : match.events(stage)) {
        Object v = e.value(index);
        if (v == null) {
          continue;
        }
        Comparable c = (Comparable) Coercions.to(type, v);
        if (best == null
            || (function == Aggregate.MAX ? c.compareTo(best) > 0 : c.compareTo(best) < 0)) {
          best = c;
        }
      }
      return best;
    }
  }

  /** A partition-key field: constant over a match. */
  record Key(int position) implements Value {
    @Override
    public Object get(Event event, MatchView match) {
      return match.key(position);
    }
  }

  /** Converts an operand to the domain of the operation it feeds (e.g. int → decimal). */
  record Convert(Type domain, Value operand) implements Value {
    @Override
    public Object get(Event event, MatchView match) {
      Object v = operand.get(event, match);
      return v == null ? null : Coercions.to(domain, v);
    }
  }

  record Arithmetic(ArithmeticOp op, Type domain, Value left, Value right) implements Value {
    @Override
    public Object get(Event event, MatchView match) {
      Object l = left.get(event, match);
      if (l == null) {
        return null;
      }
      Object r = right.get(event, match);
      if (r == null) {
        return null;
      }
      return switch (domain) {
        case DOUBLE -> doubles(((Number) l).doubleValue(), ((Number) r).doubleValue());
        case DECIMAL -> decimals((BigDecimal) l, (BigDecimal) r);
        default -> longs(((Number) l).longValue(), ((Number) r).longValue());
      };
    }

    private Object doubles(double l, double r) {
      return switch (op) {
        case ADD -> l + r;
        case SUB -> l - r;
        case MUL -> l * r;
        case DIV -> l / r;
        case MOD -> l % r;
      };
    }

    // Division by zero yields null (then every comparison with it is false): a rule must never
    // throw on odd data.
    private Object decimals(BigDecimal l, BigDecimal r) {
      return switch (op) {
        case ADD -> l.add(r);
        case SUB -> l.subtract(r);
        case MUL -> l.multiply(r);
        case DIV -> r.signum() == 0 ? null : l.divide(r, DECIMAL_DIVISION);
        case MOD -> r.signum() == 0 ? null : l.remainder(r);
      };
    }

    // Integer overflow throws (ArithmeticException) instead of wrapping to a wrong number: the
    // condition then does not hold and the failure is counted (see EvaluationFailures).
    private Object longs(long l, long r) {
      return switch (op) {
        case ADD -> Math.addExact(l, r);
        case SUB -> Math.subtractExact(l, r);
        case MUL -> Math.multiplyExact(l, r);
        case DIV -> r == 0 ? null : divideExact(l, r);
        case MOD -> r == 0 ? null : l % r;
      };
    }

    private static long divideExact(long l, long r) {
      if (l == Long.MIN_VALUE && r == -1) {
        throw new ArithmeticException("long overflow");
      }
      return l / r;
    }
  }

  record Negate(Type type, Value operand) implements Value {
    @Override
    public Object get(Event event, MatchView match) {
      Object v = operand.get(event, match);
      if (v == null) {
        return null;
      }
      return switch (type) {
        case DOUBLE -> -((Number) v).doubleValue();
        case DECIMAL -> ((BigDecimal) v).negate();
        default -> Math.negateExact(((Number) v).longValue());
      };
    }
  }

  record Abs(Type type, Value operand) implements Value {
    @Override
    public Object get(Event event, MatchView match) {
      Object v = operand.get(event, match);
      if (v == null) {
        return null;
      }
      return switch (type) {
        case DOUBLE -> Math.abs(((Number) v).doubleValue());
        case DECIMAL -> Coercions.toDecimal(v).abs();
        default -> Math.absExact(((Number) v).longValue());
      };
    }
  }

  record Lower(Value operand) implements Value {
    @Override
    public Object get(Event event, MatchView match) {
      Object v = operand.get(event, match);
      return v == null ? null : ((String) v).toLowerCase(Locale.ROOT);
    }
  }

  record Upper(Value operand) implements Value {
    @Override
    public Object get(Event event, MatchView match) {
      Object v = operand.get(event, match);
      return v == null ? null : ((String) v).toUpperCase(Locale.ROOT);
    }
  }

  record Length(Value operand) implements Value {
    @Override
    public Object get(Event event, MatchView match) {
      Object v = operand.get(event, match);
      return v == null ? null : (long) ((String) v).length();
    }
  }

  /** A boolean test used as a value (e.g. in a template hole): TRUE, FALSE or null (UNKNOWN). */
  record OfTest(Test test) implements Value {
    @Override
    public Object get(Event event, MatchView match) {
      if (test.isTrue(event, match)) {
        return Boolean.TRUE;
      }
      return test.isFalse(event, match) ? Boolean.FALSE : null;
    }
  }
}
