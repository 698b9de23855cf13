package io.vigil.compiler.drools;

/** An evaluation of a DRL rule set went beyond its {@link DecisionLimits} and was cut. */
public final class DecisionLimitException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  DecisionLimitException(String message) {
    super(message);
  }
}
