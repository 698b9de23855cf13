package io.vigil.runtime.deploy;

import io.vigil.runtime.control.RuleStatus;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How far a {@link Rollout} has come: the job's acknowledgements of it, in the order of the status
 * topic, and what they add up to ("card_testing v3 active on 2/2 subtasks").
 */
public record RolloutStatus(Rollout rollout, List<RuleStatus> statuses) {

  public RolloutStatus {
    Objects.requireNonNull(rollout, "rollout");
    statuses = List.copyOf(statuses);
  }

  /** Where a rollout stands. */
  public enum Progress {
    /** Not every subtask has acknowledged yet (or no matcher has answered at all). */
    WAITING,
    /** Every matcher subtask reports the expected state. */
    COMPLETE,
    /** The job refused the command (compiler diagnostics, an older version, a bad signature…). */
    REJECTED
  }

  /**
   * Whether {@code status} answers {@code rollout}: same key and version (a delete is answered
   * under the rule's last version, so any DELETED counts), or an invalid-record answer (subtask -1,
   * version 0) for the key; and not older than the publication by more than {@code skew}.
   */
  static boolean answers(Rollout rollout, RuleStatus status, Duration skew) {
    if (!status.ruleId().equals(rollout.key())
        || status.timestamp() < rollout.since().minus(skew).toEpochMilli()) {
      return false;
    }
    if (status.subtask() < 0) {
      return status.version() == rollout.version() || status.version() == 0;
    }
    if (rollout.expected() == RuleStatus.State.DELETED) {
      return status.state() == RuleStatus.State.DELETED;
    }
    return status.version() == rollout.version();
  }

  /** The job's parallelism as last reported; 0 before any matcher subtask has answered. */
  public int parallelism() {
    for (int i = statuses.size() - 1; i >= 0; i--) {
      if (statuses.get(i).subtask() >= 0) {
        return statuses.get(i).parallelism();
      }
    }
    return 0;
  }

  /** The latest acknowledgement of each matcher subtask of the current parallelism. */
  public Map<Integer, RuleStatus> bySubtask() {
    int parallelism = parallelism();
    Map<Integer, RuleStatus> latest = new TreeMap<>();
    for (RuleStatus status : statuses) {
      if (status.subtask() >= 0 && status.subtask() < parallelism) {
        latest.put(status.subtask(), status);
      }
    }
    return latest;
  }

  /** How many subtasks last answered each state ("3 ACTIVE, 1 REJECTED"), in state order. */
  public Map<RuleStatus.State, Long> subtasksByState() {
    Map<RuleStatus.State, Long> counts = new java.util.EnumMap<>(RuleStatus.State.class);
    bySubtask().values().forEach(s -> counts.merge(s.state(), 1L, Long::sum));
    return counts;
  }

  /**
   * Subtasks whose latest answer is the expected state (a rule flagged by the partial-match cap
   * keeps running, so FLAGGED counts as ACTIVE).
   */
  public int doneSubtasks() {
    return (int) bySubtask().values().stream().filter(s -> reached(s.state())).count();
  }

  private boolean reached(RuleStatus.State state) {
    return state == rollout.expected()
        || (rollout.expected() == RuleStatus.State.ACTIVE && state == RuleStatus.State.FLAGGED);
  }

  /** The job's reason for refusing the command, if it did. */
  public Optional<String> rejection() {
    return statuses.stream()
        .filter(s -> s.state() == RuleStatus.State.REJECTED)
        .map(RuleStatus::message)
        .findFirst();
  }

  /** Subtasks on which the rule hit the partial-match cap (it keeps running there). */
  public long flaggedSubtasks() {
    return statuses.stream()
        .filter(s -> s.state() == RuleStatus.State.FLAGGED)
        .map(RuleStatus::subtask)
        .distinct()
        .count();
  }

  public Progress progress() {
    if (rejection().isPresent()) {
      return Progress.REJECTED;
    }
    int parallelism = parallelism();
    return parallelism > 0 && doneSubtasks() == parallelism ? Progress.COMPLETE : Progress.WAITING;
  }

  /**
   * One line for people: {@code card_testing v3 active on 2/2 subtasks}, {@code card_testing v4
   * rejected: <the job's message>}, or {@code card_testing v5 disabled on 0/2 subtasks}.
   */
  public String summary() {
    String head = rollout.key() + " v" + rollout.version() + " ";
    Optional<String> rejected = rejection();
    if (rejected.isPresent()) {
      return head + "rejected: " + rejected.get().strip();
    }
    String state = rollout.expected().name().toLowerCase(Locale.ROOT);
    int parallelism = parallelism();
    if (parallelism == 0) {
      return head + state + " on no subtask yet (no acknowledgement from the job)";
    }
    String line = head + state + " on " + doneSubtasks() + "/" + parallelism + " subtasks";
    long flagged = flaggedSubtasks();
    return flagged == 0
        ? line
        : line + " (flagged: partial-match cap reached on " + flagged + " subtasks)";
  }
}
