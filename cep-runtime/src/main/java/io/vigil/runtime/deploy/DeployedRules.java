package io.vigil.runtime.deploy;

import io.vigil.runtime.control.RuleCommand;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the control topic holds: the latest command per key, as a fresh job would read it (stream
 * declarations and rules, including disabled ones; a deleted rule shows as {@link
 * RuleCommand.DeleteRule} until compaction removes its tombstone).
 */
public record DeployedRules(Map<String, DeployedCommand> byKey) {

  public DeployedRules {
    byKey = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byKey));
  }

  public Optional<DeployedCommand> get(String key) {
    return Optional.ofNullable(byKey.get(key));
  }

  /** Stream declarations, then rules, each in the order of the topic. */
  public List<DeployedCommand> all() {
    return java.util.stream.Stream.concat(streams().stream(), rules().stream()).toList();
  }

  public List<DeployedCommand> streams() {
    return byKey.values().stream().filter(DeployedCommand::isStream).toList();
  }

  public List<DeployedCommand> rules() {
    return byKey.values().stream().filter(c -> !c.isStream()).toList();
  }
}
