package io.vigil.alert.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * One alert as the CEP runtime writes it to {@code vigil.alerts}. See docs/alerts.md for the wire
 * format; {@link AlertJson} is its only JSON mapping.
 *
 * <p>{@code owner} is optional on the wire; it is an {@link Optional} here so that no caller sees a
 * null. {@code events} maps a pattern stage name to the events that matched it, kept as raw JSON
 * because their shape belongs to the rule, not to this service.
 */
public record Alert(
    String alertId,
    String ruleId,
    int ruleVersion,
    AlertKind kind,
    Severity severity,
    String title,
    String message,
    List<String> tags,
    Optional<String> owner,
    Map<String, String> key,
    Instant startTime,
    Instant endTime,
    Instant detectedAt,
    Map<String, List<JsonNode>> events) {

  public Alert {
    tags = List.copyOf(tags);
    key = Map.copyOf(key);
    events = Map.copyOf(events);
  }

  /** A stable text form of the key, used in Redis key names and throttle keys. */
  public String keyText() {
    return key.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue())
        .reduce((a, b) -> a + "," + b)
        .orElse("");
  }
}
