package io.vigil.dsl.ast;

import io.vigil.dsl.diagnostic.Span;

/** What follows a quantifier; modifiers may come in any order. */
public sealed interface Modifier {
  Span span();

  /** {@code greedy}: Flink's greedy(). */
  record Greedy(Span span) implements Modifier {}

  /** {@code consecutive}: strict contiguity inside a loop (Flink's consecutive()). */
  record Consecutive(Span span) implements Modifier {}

  /** {@code any combination}: Flink's allowCombinations(). */
  record AnyCombination(Span span) implements Modifier {}

  /** {@code until (cond)}: the loop stops at the first event that satisfies cond. */
  record Until(Expr condition, Span span) implements Modifier {}
}
