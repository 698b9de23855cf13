package io.vigil.alert.model;

import java.util.Map;
import java.util.Set;

/**
 * Which alerts a subscription or a silence is about. Each non-empty dimension must match (AND);
 * within a dimension any value matches (OR); an empty dimension matches everything. {@code key}
 * matches when every given key field has exactly the given value.
 */
public record AlertMatcher(
    Set<String> ruleIds, Set<String> tags, Set<String> owners, Map<String, String> key) {

  public static final AlertMatcher ANY = new AlertMatcher(Set.of(), Set.of(), Set.of(), Map.of());

  public AlertMatcher {
    ruleIds = ruleIds == null ? Set.of() : Set.copyOf(ruleIds);
    tags = tags == null ? Set.of() : Set.copyOf(tags);
    owners = owners == null ? Set.of() : Set.copyOf(owners);
    key = key == null ? Map.of() : Map.copyOf(key);
  }

  public boolean matches(Alert alert) {
    return (ruleIds.isEmpty() || ruleIds.contains(alert.ruleId()))
        && (tags.isEmpty() || alert.tags().stream().anyMatch(tags::contains))
        && (owners.isEmpty() || alert.owner().map(owners::contains).orElse(false))
        && key.entrySet().stream().allMatch(e -> e.getValue().equals(alert.key().get(e.getKey())));
  }

  public boolean isEmpty() {
    return ruleIds.isEmpty() && tags.isEmpty() && owners.isEmpty() && key.isEmpty();
  }
}
