package io.vigil.runtime.matching;

import io.vigil.compiler.event.Event;
import java.util.Objects;

/**
 * An event on its way to the matcher under one partition: {@code key} is the partition spec and the
 * key values (see {@link RoutingKeys}). An event read by rules of several specs is routed once per
 * spec; only the {@code primary} copy reports lateness, so a late event is reported once.
 *
 * @param lateness the allowed lateness of the event's stream in ms (drives its watermark)
 */
public record Routed(String key, Event event, boolean primary, long lateness)
    implements java.io.Serializable {

  public Routed {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(event, "event");
  }
}
