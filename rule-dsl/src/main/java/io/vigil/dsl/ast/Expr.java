package io.vigil.dsl.ast;

import io.vigil.dsl.diagnostic.Span;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/** A condition or value expression as written, before names and types are resolved. */
public sealed interface Expr {
  Span span();

  record StringLit(String value, Span span) implements Expr {}

  record IntLit(long value, Span span) implements Expr {}

  record DecimalLit(BigDecimal value, Span span) implements Expr {}

  record BoolLit(boolean value, Span span) implements Expr {}

  record NullLit(Span span) implements Expr {}

  /** A field of the current event, a stage's field ({@code a.country}) or a partition key. */
  record Path(FieldPath path, Span span) implements Expr {}

  /** {@code fn(args)} with an optional member access, as in {@code first(tiny).currency}. */
  record Call(Name function, List<Expr> args, Optional<FieldPath> member, Span span)
      implements Expr {
    public Call {
      args = List.copyOf(args);
    }
  }

  record Unary(UnaryOp op, Expr operand, Span span) implements Expr {}

  record Binary(BinaryOp op, Expr left, Expr right, Span span) implements Expr {}

  record In(Expr value, List<Expr> options, boolean negated, Span span) implements Expr {
    public In {
      options = List.copyOf(options);
    }
  }

  record Between(Expr value, Expr low, Expr high, boolean negated, Span span) implements Expr {}

  enum UnaryOp {
    NEGATE("-"),
    NOT("not");

    public final String symbol;

    UnaryOp(String symbol) {
      this.symbol = symbol;
    }
  }

  enum BinaryOp {
    MUL("*"),
    DIV("/"),
    MOD("%"),
    ADD("+"),
    SUB("-"),
    EQ("=="),
    NE("!="),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">="),
    AND("and"),
    OR("or"),
    CONTAINS("contains"),
    STARTS_WITH("startsWith"),
    ENDS_WITH("endsWith"),
    MATCHES("matches");

    public final String symbol;

    BinaryOp(String symbol) {
      this.symbol = symbol;
    }

    public boolean arithmetic() {
      return this == MUL || this == DIV || this == MOD || this == ADD || this == SUB;
    }

    public boolean comparison() {
      return this == EQ || this == NE || this == LT || this == LE || this == GT || this == GE;
    }

    public boolean logical() {
      return this == AND || this == OR;
    }

    public boolean stringTest() {
      return this == CONTAINS || this == STARTS_WITH || this == ENDS_WITH || this == MATCHES;
    }
  }
}
