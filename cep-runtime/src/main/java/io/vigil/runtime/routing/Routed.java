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
 * @param order the event's position in an input read by several readers at once (a file's byte
 *     offset), which decides among equal timestamps in the matcher; {@link #ARRIVAL_ORDER} when the
 *     order of arrival decides
 */
public record Routed(
    String key, Event event, boolean primary, long lateness, int sourcePartition, long order)
    implements java.io.Serializable {

  public static final int NO_PARTITION = EventDecoding.NO_PARTITION;

  /** The {@code order} of an event whose arrival decides among equal timestamps. */
  public static final long ARRIVAL_ORDER = EventDecoding.ARRIVAL_ORDER;

  public Routed {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(event, "event");
  }

  public Routed(String key, Event event, boolean primary, long lateness) {
    this(key, event, primary, lateness, NO_PARTITION, ARRIVAL_ORDER);
  }

  public Routed(String key, Event event, boolean primary, long lateness, int sourcePartition) {
    this(key, event, primary, lateness, sourcePartition, ARRIVAL_ORDER);
  }
}
