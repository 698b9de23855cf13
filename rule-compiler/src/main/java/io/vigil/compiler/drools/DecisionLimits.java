package io.vigil.compiler.drools;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * What one evaluation of a DRL rule set may cost, and what a stateful session may hold. An
 * evaluation (one event, or one advance of a session's clock) that fires more rules than {@code
 * maxFirings}, or is still firing after {@code maxTime}, is cut: it raises nothing ({@link
 * DecisionLimitException}). Neither can stop a consequence that never returns (a Java loop inside
 * one): Drools checks between firings.
 *
 * @param maxFirings rule firings per evaluation (a rule set whose rules re-activate each other
 *     loops until this)
 * @param maxTime wall-clock time per evaluation, checked before each firing
 * @param maxFactsPerKey facts a stateful session of one key keeps; the oldest beyond it are
 *     retracted
 */
public record DecisionLimits(int maxFirings, Duration maxTime, int maxFactsPerKey)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  public DecisionLimits {
    Objects.requireNonNull(maxTime, "maxTime");
    if (maxFirings < 1 || maxFactsPerKey < 1 || maxTime.isNegative() || maxTime.isZero()) {
      throw new IllegalArgumentException(
          "DRL limits must be positive: " + maxFirings + ", " + maxTime + ", " + maxFactsPerKey);
    }
  }

  /** 10 000 firings, 1 s and 10 000 facts per key. */
  public static DecisionLimits defaults() {
    return new DecisionLimits(10_000, Duration.ofSeconds(1), 10_000);
  }
}
