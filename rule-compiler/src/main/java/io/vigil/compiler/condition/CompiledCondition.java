package io.vigil.compiler.condition;

import io.vigil.compiler.event.Event;
import io.vigil.dsl.check.TypedExpr;
import java.io.Serializable;
import java.util.List;

/**
 * A condition compiled to a closure tree. Evaluation follows SQL's three-valued logic: a
 * comparison, string test, {@code in} or {@code between} with a null (missing) operand is UNKNOWN;
 * {@code not UNKNOWN} is UNKNOWN; {@code false and UNKNOWN} is FALSE, {@code true or UNKNOWN} is
 * TRUE, other combinations with UNKNOWN are UNKNOWN; {@code x == null} and {@code x != null} are
 * never UNKNOWN. A condition holds only when it is TRUE, so a missing field never makes a stage
 * accept an event, also under {@code not}: {@code not (amount > 5)} does not hold when {@code
 * amount} is missing. Evaluation never throws on missing data; division by zero yields null.
 *
 * <p>An evaluation that fails (an integer overflow, see {@link Values}) is neither TRUE nor FALSE:
 * the condition does not hold, and the failure is counted by the rule's {@link EvaluationFailures}.
 */
public final class CompiledCondition implements Serializable {

  private static final long serialVersionUID = 1L;

  private final Test root;
  private final boolean readsMatch;
  private final List<RequiredValue> required;
  private final List<RequiredBound> bounds;

  /** Null when there is none (Optional is not serializable). */
  private final RequiredBound leadingBound;

  private final boolean onlyLeadingBound;

  /**
   * The expression when its evaluation cannot fail, else null; not serialized (a deserialized
   * condition has none, and is evaluated on its own).
   */
  private final transient TypedExpr failureFree;

  private final EvaluationFailures failures;
  private final String what;

  CompiledCondition(
      Test root,
      boolean readsMatch,
      List<RequiredValue> required,
      List<RequiredBound> bounds,
      java.util.Optional<RequiredBound> leadingBound,
      boolean onlyLeadingBound,
      java.util.Optional<TypedExpr> failureFree,
      EvaluationFailures failures,
      String what) {
    this.root = root;
    this.readsMatch = readsMatch;
    this.required = List.copyOf(required);
    this.bounds = List.copyOf(bounds);
    this.leadingBound = leadingBound.orElse(null);
    this.onlyLeadingBound = onlyLeadingBound && leadingBound.isPresent();
    this.failureFree = failureFree.orElse(null);
    this.failures = failures;
    this.what = what;
  }

  /**
   * Texts an event must hold for the condition to be true ({@code field == "x" and …}); empty when
   * the condition requires none of that form.
   */
  public List<RequiredValue> requiredValues() {
    return required;
  }

  /**
   * Bounds a field of the event must keep for the condition to be true ({@code field > 5 and …});
   * empty when the condition requires none of that form.
   */
  public List<RequiredBound> requiredBounds() {
    return bounds;
  }

  /**
   * The first bound of the condition's top-level {@code and} chain when only comparisons of event
   * fields with constants precede it: an event that does not keep it makes the condition false, and
   * nothing evaluated before it could have failed (no evaluation failure either).
   */
  public java.util.Optional<RequiredBound> leadingBound() {
    return java.util.Optional.ofNullable(leadingBound);
  }

  /**
   * Whether the condition is its {@link #leadingBound} and nothing else ({@code amount > 1100}): it
   * is TRUE exactly for the events whose field keeps the bound (a value of the bound's
   * representation on its side of the constant), and its evaluation cannot fail.
   */
  public boolean isOnlyLeadingBound() {
    return onlyLeadingBound;
  }

  /**
   * The condition's expression, when its evaluation cannot fail (only comparisons of event fields
   * with constants, null tests and boolean fields, joined by {@code and}, {@code or}, {@code not}):
   * conditions with equal expressions are TRUE for the same events. Empty when it may fail.
   */
  public java.util.Optional<TypedExpr> failureFreeExpression() {
    return java.util.Optional.ofNullable(failureFree);
  }

  /** True when the condition is TRUE for {@code event} given the (partial) match. */
  public boolean test(Event event, MatchView match) {
    try {
      return root.isTrue(event, match);
    } catch (RuntimeException | StackOverflowError e) {
      return failed(e);
    }
  }

  /** A condition that fails on an event does not hold for it (nor is it FALSE): see the class. */
  private boolean failed(Throwable e) {
    if (!EvaluationFailures.isEvaluationFailure(e)) {
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw (Error) e;
    }
    failures.record(what, e);
    return false;
  }

  /** True when the condition is FALSE (not merely UNKNOWN). */
  public boolean testFalse(Event event, MatchView match) {
    try {
      return root.isFalse(event, match);
    } catch (RuntimeException | StackOverflowError e) {
      return failed(e);
    }
  }

  /** True when the condition reads other stages or the key (needs Flink's iterative context). */
  public boolean readsMatch() {
    return readsMatch;
  }
}
