package io.vigil.runtime.deploy;

import io.vigil.runtime.control.RuleStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * What to watch on the status topic after a publication: the job acknowledges {@code version} of
 * {@code key} on each matcher subtask, and the rollout is complete when every subtask reports
 * {@code expected}.
 *
 * @param version the version the job reports; for a delete, the version that was deployed before
 *     (the job answers a delete under the rule's last version)
 * @param since when the command was published; statuses much older are not its acknowledgements
 */
public record Rollout(String key, long version, RuleStatus.State expected, Instant since) {
  public Rollout {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(since, "since");
  }
}
