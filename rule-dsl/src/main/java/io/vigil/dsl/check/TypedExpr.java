package io.vigil.dsl.check;

import io.vigil.dsl.schema.Type;
import java.util.List;

/**
 * An expression after name resolution and type checking. Field references carry the index of the
 * field in its stream's value array. Numeric operations carry the {@code domain} type in which they
 * are evaluated (see {@link Type#widen}); the compiler converts operands to it.
 *
 * <p>Null semantics: a missing field or stage is null; arithmetic on null is null; a comparison,
 * string test, {@code in} or {@code between} with a null operand is false; {@code not} of such a
 * test is therefore true only when the inner test is false for a non-null reason — the compiler
 * documents the exact three-valued rule it implements.
 */
public sealed interface TypedExpr {

  Type type();

  /** A literal. {@code value} is held in the run-time representation of {@code type}. */
  record Constant(Type type, Object value) implements TypedExpr {}

  /** The {@code null} literal. */
  record NullConstant() implements TypedExpr {
    @Override
    public Type type() {
      return Type.NULL;
    }
  }

  /** A field of the event being tested (stage conditions only). */
  record EventField(Type type, String stream, int index, String path) implements TypedExpr {}

  /** Which event of a stage's accepted events a reference reads. */
  enum Pick {
    /** The stage takes exactly one event: {@code a.country}. */
    ONLY,
    /** {@code first(x).f}. */
    FIRST,
    /** {@code last(x).f}. */
    LAST
  }

  /** A field of an event accepted by an earlier stage (or earlier by the same looping stage). */
  record StageField(Type type, String stage, Pick pick, String stream, int index, String path)
      implements TypedExpr {}

  /** {@code count(x)}: how many events stage x has accepted so far. */
  record StageCount(String stage) implements TypedExpr {
    @Override
    public Type type() {
      return Type.LONG;
    }
  }

  enum Aggregate {
    SUM,
    AVG,
    MIN,
    MAX
  }

  /** {@code sum/avg/min/max(x.f)} over the events stage x has accepted; nulls are skipped. */
  record StageAggregate(
      Aggregate function, Type type, String stage, String stream, int index, String path)
      implements TypedExpr {}

  /** A partition-key field in {@code having} or an alert template: the same for the whole match. */
  record KeyField(Type type, int position, String path) implements TypedExpr {}

  enum ArithmeticOp {
    ADD,
    SUB,
    MUL,
    DIV,
    MOD
  }

  record Arithmetic(ArithmeticOp op, Type type, TypedExpr left, TypedExpr right)
      implements TypedExpr {}

  record Negate(Type type, TypedExpr operand) implements TypedExpr {}

  enum CompareOp {
    EQ,
    NE,
    LT,
    LE,
    GT,
    GE
  }

  /** Compares in {@code domain}: a numeric type, STRING, BOOLEAN or TIMESTAMP. */
  record Comparison(CompareOp op, Type domain, TypedExpr left, TypedExpr right)
      implements TypedExpr {
    @Override
    public Type type() {
      return Type.BOOLEAN;
    }
  }

  /** Compares with null: {@code x == null} / {@code x != null}. */
  record NullTest(boolean negated, TypedExpr operand) implements TypedExpr {
    @Override
    public Type type() {
      return Type.BOOLEAN;
    }
  }

  enum LogicalOp {
    AND,
    OR
  }

  record Logical(LogicalOp op, TypedExpr left, TypedExpr right) implements TypedExpr {
    @Override
    public Type type() {
      return Type.BOOLEAN;
    }
  }

  record Not(TypedExpr operand) implements TypedExpr {
    @Override
    public Type type() {
      return Type.BOOLEAN;
    }
  }

  record InList(Type domain, TypedExpr value, List<TypedExpr> options, boolean negated)
      implements TypedExpr {
    public InList {
      options = List.copyOf(options);
    }

    @Override
    public Type type() {
      return Type.BOOLEAN;
    }
  }

  record Between(Type domain, TypedExpr value, TypedExpr low, TypedExpr high, boolean negated)
      implements TypedExpr {
    @Override
    public Type type() {
      return Type.BOOLEAN;
    }
  }

  enum StringOp {
    CONTAINS,
    STARTS_WITH,
    ENDS_WITH
  }

  record StringTest(StringOp op, TypedExpr left, TypedExpr right) implements TypedExpr {
    @Override
    public Type type() {
      return Type.BOOLEAN;
    }
  }

  /** {@code value matches "regex"}: the regex is a constant, validated by the checker. */
  record Matches(TypedExpr value, String regex) implements TypedExpr {
    @Override
    public Type type() {
      return Type.BOOLEAN;
    }
  }

  enum Function {
    ABS,
    LOWER,
    UPPER,
    LEN
  }

  record Call(Function function, Type type, TypedExpr argument) implements TypedExpr {}
}
