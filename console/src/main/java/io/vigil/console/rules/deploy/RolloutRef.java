package io.vigil.console.rules.deploy;

import io.vigil.runtime.control.RuleStatus;
import io.vigil.runtime.deploy.Rollout;
import java.time.Instant;

/**
 * The last rollout started for a rule from the console (kept in Redis so that its page can follow
 * it), and the console version it came from (0 for a rollback, disable or delete).
 */
public record RolloutRef(
    String key, long version, String expected, Instant since, int draftVersion, String action) {

  static RolloutRef of(Rollout rollout, int draftVersion, String action) {
    return new RolloutRef(
        rollout.key(),
        rollout.version(),
        rollout.expected().name(),
        rollout.since(),
        draftVersion,
        action);
  }

  public Rollout rollout() {
    return new Rollout(key, version, RuleStatus.State.valueOf(expected), since);
  }
}
