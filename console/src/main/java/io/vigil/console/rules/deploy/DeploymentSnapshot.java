package io.vigil.console.rules.deploy;

import io.vigil.runtime.deploy.RuleState;
import io.vigil.runtime.deploy.RuleVersion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What was deployed when the console last read the control, history and status topics.
 *
 * @param states per key (rule id or {@code stream:<name>}): the latest command and what the job
 *     made of it
 * @param history per key, every published version, oldest first
 * @param problem why the last read failed, when it did (the states are then older)
 */
public record DeploymentSnapshot(
    Map<String, RuleState> states,
    Map<String, List<RuleVersion>> history,
    Optional<Instant> readAt,
    Optional<String> problem) {

  public DeploymentSnapshot {
    states = Map.copyOf(states);
    history = Map.copyOf(history);
  }

  public static DeploymentSnapshot none(String why) {
    return new DeploymentSnapshot(Map.of(), Map.of(), Optional.empty(), Optional.of(why));
  }

  public Optional<RuleState> state(String key) {
    return Optional.ofNullable(states.get(key));
  }

  public List<RuleVersion> history(String key) {
    return history.getOrDefault(key, List.of());
  }
}
