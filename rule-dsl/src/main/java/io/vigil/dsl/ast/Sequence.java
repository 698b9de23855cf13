package io.vigil.dsl.ast;

import io.vigil.dsl.diagnostic.Span;
import java.util.List;

/** Stages and groups joined by links ({@code then}, {@code next}, ...). */
public record Sequence(List<Step> steps, Span span) {

  public Sequence {
    steps = List.copyOf(steps);
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("a sequence has at least one element");
    }
  }

  /** One element of a sequence with the link that joins it to the previous one. */
  public record Step(Link link, Span linkSpan, Element element) {}

  /** How an element follows the previous one; the Flink CEP method is named beside each. */
  public enum Link {
    /** The first element of a sequence: {@code Pattern.begin}. */
    START("begin"),
    /** {@code then}: followedBy (relaxed contiguity). */
    FOLLOWED_BY("followedBy"),
    /** {@code next}: next (strict contiguity). */
    NEXT("next"),
    /** {@code then any}: followedByAny (non-deterministic relaxed contiguity). */
    FOLLOWED_BY_ANY("followedByAny"),
    /** {@code not next} / {@code next not}: notNext. */
    NOT_NEXT("notNext"),
    /** {@code not then} / {@code then not}: notFollowedBy. */
    NOT_FOLLOWED_BY("notFollowedBy");

    private final String flinkMethod;

    Link(String flinkMethod) {
      this.flinkMethod = flinkMethod;
    }

    public String flinkMethod() {
      return flinkMethod;
    }

    public boolean negated() {
      return this == NOT_NEXT || this == NOT_FOLLOWED_BY;
    }
  }
}
