package io.vigil.runtime.deploy;

import io.vigil.runtime.control.RuleStatus;
import java.util.Objects;
import java.util.Optional;

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
}
