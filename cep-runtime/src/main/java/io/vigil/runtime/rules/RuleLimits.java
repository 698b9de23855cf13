package io.vigil.runtime.rules;

import io.vigil.runtime.config.RuleOptions;
import java.io.Serializable;

/**
 * Limits on what the control topic can make a job hold. Router and matcher apply the same commands
 * in the same order with the same limits, so they take the same decisions.
 *
 * @param maxLiveRules running rules allowed; a new rule (or one enabled again) beyond it is
 *     rejected, one already running can still be updated
 * @param maxVersionJump how far above the current version of a rule or stream (0 for one the job
 *     does not know) a command's version may be: a command with an absurd version, e.g. {@link
 *     Long#MAX_VALUE}, is rejected instead of making every later version "older"
 * @param maxUnknownIds how many ids the book remembers that were only ever disabled (a disable of
 *     an id it does not know is remembered for its version); beyond it such commands are
 *     acknowledged but not remembered
 */
public record RuleLimits(int maxLiveRules, long maxVersionJump, int maxUnknownIds)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  /**
   * The largest integer that JSON tools (JavaScript's numbers) hold exactly: a first version up to
   * it, e.g. an epoch-millisecond or -microsecond timestamp, is always accepted (also at a fresh
   * start, when every rule is new to the job), {@link Long#MAX_VALUE} never.
   */
  public static final long DEFAULT_MAX_VERSION_JUMP = RuleOptions.MAX_VERSION_JUMP.defaultParsed();

  /** The job's defaults ({@link RuleOptions}). */
  public static RuleLimits defaults() {
    return new RuleLimits(
        RuleOptions.MAX_LIVE_RULES.defaultParsed(),
        DEFAULT_MAX_VERSION_JUMP,
        RuleOptions.MAX_UNKNOWN_IDS.defaultParsed());
  }

  public RuleLimits {
    if (maxLiveRules < 1 || maxVersionJump < 1 || maxUnknownIds < 0) {
      throw new IllegalArgumentException(
          "limits must be positive: "
              + maxLiveRules
              + ", "
              + maxVersionJump
              + ", "
              + maxUnknownIds);
    }
  }

  /** Whether {@code version} is more than {@link #maxVersionJump} above {@code current}. */
  boolean jumpsTooFar(long current, long version) {
    long base = Math.max(current, 0);
    return base <= Long.MAX_VALUE - maxVersionJump && version > base + maxVersionJump;
  }
}
