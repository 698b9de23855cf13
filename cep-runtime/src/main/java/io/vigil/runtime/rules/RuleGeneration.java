package io.vigil.runtime.rules;

import java.util.Objects;

/**
 * One state generation of a rule: the partial matches of all versions with one matching
 * fingerprint. A version whose pattern differs starts the next generation, with fresh state.
 *
 * <p>Its {@link #stateId()} {@code <rule>/<generation>} names the generation's shared-buffer
 * namespace and its NFA state on each key; it is only ever built here and never parsed.
 */
public record RuleGeneration(String ruleId, long number) {

  public RuleGeneration {
    Objects.requireNonNull(ruleId, "ruleId");
    if (number < 0) {
      throw new IllegalArgumentException("generation must be >= 0: " + number);
    }
  }

  /** {@code <rule>/<generation>}, e.g. {@code card-testing/2}. */
  public String stateId() {
    return ruleId + "/" + number;
  }

  /** The generation that follows this one (a pattern change). */
  public RuleGeneration next() {
    return new RuleGeneration(ruleId, number + 1);
  }
}
