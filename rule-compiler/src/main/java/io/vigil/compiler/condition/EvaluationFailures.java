package io.vigil.compiler.condition;

import java.io.Serializable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failures of one compiled rule while it runs on events: a condition or an alert-template hole that
 * threw (an integer overflow, a value of an unexpected representation…). The rule keeps running: a
 * failed condition does not hold, a failed hole renders {@link #PLACEHOLDER}. Each failure is
 * counted, and the first one of a compiled rule is logged with its cause; a rule is compiled once
 * per version on each parallel instance, so that is one log line per rule version and instance.
 */
public final class EvaluationFailures implements Serializable, LongSupplier {

  private static final long serialVersionUID = 1L;

  private static final Logger LOG = LoggerFactory.getLogger(EvaluationFailures.class);

  /** What an alert-template hole renders when its evaluation failed. */
  public static final String PLACEHOLDER = "<error>";

  private final String rule;
  private final AtomicLong count = new AtomicLong();

  /**
   * @param rule the rule's id, for the log line
   */
  public EvaluationFailures(String rule) {
    this.rule = rule;
  }

  /** Counts a failure of {@code what} (e.g. {@code condition of stage a}); logs the first. */
  public void record(String what, Throwable cause) {
    if (count.getAndIncrement() == 0) {
      LOG.warn(
          "rule {}: the {} failed on an event ({}); it does not hold (a hole renders {})."
              + " Further failures of this rule version are only counted"
              + " (metric evaluationFailures).",
          rule,
          what,
          cause.toString(),
          PLACEHOLDER,
          cause);
    }
  }

  /** Failures so far. */
  public long count() {
    return count.get();
  }

  @Override
  public long getAsLong() {
    return count();
  }

  /**
   * Whether a throwable raised while evaluating is the expression's own failure (then the rule
   * carries on), rather than the state backend's, which must fail the task.
   */
  static boolean isEvaluationFailure(Throwable t) {
    return !(t instanceof MatchView.UnreadableMatch)
        && (t instanceof RuntimeException || t instanceof StackOverflowError);
  }
}
