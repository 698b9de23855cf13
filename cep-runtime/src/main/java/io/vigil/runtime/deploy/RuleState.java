package io.vigil.runtime.deploy;

import io.vigil.runtime.control.RuleStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One deployed rule or stream as the job sees it: the latest command on the control topic, how far
 * the job has applied it, and, while that version is not complete (rejected, or still rolling out),
 * the newest earlier version the job reported active (the job keeps it running).
 */
public record RuleState(
    DeployedCommand deployed, RolloutStatus rollout, Optional<RolloutStatus> previous) {

  public RuleState {
    Objects.requireNonNull(deployed, "deployed");
    Objects.requireNonNull(rollout, "rollout");
    Objects.requireNonNull(previous, "previous");
  }

  public String key() {
    return deployed.key();
  }

  /** {@code card_testing v4 rejected: … (v3 active on 2/2 subtasks)} and the like. */
  public String summary() {
    return rollout.summary()
        + previous
            .filter(p -> p.rollout().expected() == RuleStatus.State.ACTIVE)
            .map(
                p ->
                    " (v"
                        + p.rollout().version()
                        + " active on "
                        + p.doneSubtasks()
                        + "/"
                        + p.parallelism()
                        + " subtasks)")
            .orElse("");
  }

  /**
   * The deployed command's rollout and, unless it is complete, the newest earlier version the job
   * applied (not rejected), in the state it last reported.
   */
  static RuleState of(DeployedCommand deployed, List<RuleStatus> all, Duration skew) {
    Rollout rollout = Plan.unchanged(deployed).rollout();
    List<RuleStatus> answers = new ArrayList<>();
    TreeMap<Long, List<RuleStatus>> earlier = new TreeMap<>();
    for (RuleStatus status : all) {
      if (!status.ruleId().equals(rollout.key())) {
        continue;
      }
      if (RolloutStatus.answers(rollout, status, skew)) {
        answers.add(status);
      } else if (status.version() < rollout.version()
          && status.subtask() >= 0
          && status.state() != RuleStatus.State.REJECTED) {
        earlier.computeIfAbsent(status.version(), v -> new ArrayList<>()).add(status);
      }
    }
    RolloutStatus current = new RolloutStatus(rollout, answers);
    Optional<RolloutStatus> previous = Optional.empty();
    if (current.progress() != RolloutStatus.Progress.COMPLETE && !earlier.isEmpty()) {
      Map.Entry<Long, List<RuleStatus>> newest = earlier.lastEntry();
      List<RuleStatus> statuses = newest.getValue();
      RuleStatus.State state = statuses.get(statuses.size() - 1).state();
      previous =
          Optional.of(
              new RolloutStatus(
                  new Rollout(
                      rollout.key(),
                      newest.getKey(),
                      state == RuleStatus.State.FLAGGED ? RuleStatus.State.ACTIVE : state,
                      Instant.EPOCH),
                  statuses));
    }
    return new RuleState(deployed, current, previous);
  }
}
