package io.vigil.samples.generate;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A planted incident: the rule that must fire, on which partition key, and the event-time span in
 * which its alert belongs (from the first planted event to the time the rule can decide, which for
 * an absence or a timeout is the end of its window). An alert of {@code rule} with the same key
 * whose {@code [startTime, endTime]} overlaps the span finds the incident.
 */
public record Incident(String rule, Map<String, Object> key, Instant from, Instant to) {

  public Incident {
    Objects.requireNonNull(rule, "rule");
    key = Map.copyOf(key);
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("incident ends before it starts: " + from + " > " + to);
    }
  }
}
