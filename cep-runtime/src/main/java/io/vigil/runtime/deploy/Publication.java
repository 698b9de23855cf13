package io.vigil.runtime.deploy;

import io.vigil.runtime.control.RuleCommand;
import java.util.Objects;

/**
 * The outcome of one {@link Change}.
 *
 * @param version the version now deployed under {@code key} (for a delete, the history version of
 *     the delete)
 * @param command the command on the control topic: the one just published, or, when {@code changed}
 *     is false, the one that was already deployed
 * @param changed false when the change would not have changed what is deployed, so nothing was
 *     published (same source, already disabled, already deleted)
 * @param rollout what to follow on the status topic ({@link Deployer#await})
 */
public record Publication(
    String key, long version, RuleCommand command, boolean changed, Rollout rollout) {
  public Publication {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(rollout, "rollout");
  }
}
