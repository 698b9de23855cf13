package io.vigil.dsl.ast;

import io.vigil.dsl.diagnostic.Span;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How many events a stage takes: {@code min} to {@code max} (empty = unbounded). No quantifier is
 * exactly one event.
 */
public record Quantifier(Kind kind, int min, OptionalInt max, Optional<Span> span) {

  public enum Kind {
    ONE,
    TIMES,
    RANGE,
    AT_LEAST,
    ONE_OR_MORE,
    ZERO_OR_MORE,
    OPTIONAL
  }

  public static Quantifier one() {
    return new Quantifier(Kind.ONE, 1, OptionalInt.of(1), Optional.empty());
  }

  /** Takes more than one event, so its events are read with first/last/count/... */
  public boolean looping() {
    return max.isEmpty() || max.getAsInt() > 1;
  }

  public boolean optional() {
    return min == 0;
  }

  public boolean unbounded() {
    return max.isEmpty();
  }

  /** As written in the DSL. */
  public String text() {
    return switch (kind) {
      case ONE -> "";
      case TIMES -> "{" + min + "}";
      case RANGE -> "{" + min + "," + max.getAsInt() + "}";
      case AT_LEAST -> "{" + min + ",}";
      case ONE_OR_MORE -> "+";
      case ZERO_OR_MORE -> "*";
      case OPTIONAL -> "?";
    };
  }
}
