package io.vigil.runtime.routing;

import io.vigil.compiler.event.Event;
import io.vigil.runtime.source.EventDecoding;
import java.util.Objects;

/**
 * An event on its way to the matcher under one partition: {@code key} is the partition spec and the
 * key values (see {@link RoutingKeys}). An event read by rules of several specs is routed once per
 * spec; only the {@code primary} copy reports lateness, so a late event is reported once.
 *
 * @param lateness the allowed lateness of the event's stream in ms (drives its watermark)
 * @param sourcePartition the partition of the stream's topic it was read from ({@link
 *     #NO_PARTITION} when it did not come from Kafka): watermarks are kept per stream and partition
 */
public record Routed(String key, Event event, boolean primary, long lateness, int sourcePartition)
    implements java.io.Serializable {

  public static final int NO_PARTITION = EventDecoding.NO_PARTITION;

  public Routed {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(event, "event");
  }

  public Routed(String key, Event event, boolean primary, long lateness) {
    this(key, event, primary, lateness, NO_PARTITION);
  }
}
