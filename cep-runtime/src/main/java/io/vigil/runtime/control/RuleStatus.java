package io.vigil.runtime.control;

import java.util.Objects;

/**
 * An acknowledgement on {@code vigil.rule-status}: what one parallel instance of the matcher did
 * with one command, so that a console can show "version 3 active on 4/4 subtasks".
 *
 * @param message the compiler's diagnostics for REJECTED, a short explanation otherwise
 */
public record RuleStatus(
    String ruleId,
    long version,
    int subtask,
    int parallelism,
    State state,
    String message,
    long timestamp)
    implements java.io.Serializable {

  public RuleStatus {
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(message, "message");
  }

  public enum State {
    /** The version compiled and is matching on this subtask. */
    ACTIVE,
    /** The version did not compile (or referenced an unknown stream); the previous one stays. */
    REJECTED,
    /** The rule was disabled; its state on this subtask is released. */
    DISABLED,
    /** The rule was deleted; its state on this subtask is released. */
    DELETED,
    /**
     * The rule hit a guard rail on this subtask (partial matches dropped by the per-key cap); it
     * keeps running. Reported once per rule version and subtask.
     */
    FLAGGED
  }
}
