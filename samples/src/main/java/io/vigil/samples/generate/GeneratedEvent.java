package io.vigil.samples.generate;

import java.time.Instant;
import java.util.Map;

/**
 * One line of a replay file: {@code {"stream": "...", "event": {...}}}. {@code time} orders the
 * lines; it is also the value of the event's time field.
 */
public record GeneratedEvent(String stream, Instant time, Map<String, Object> event) {

  public GeneratedEvent {
    event = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(event));
  }
}
