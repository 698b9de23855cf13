package io.vigil.runtime.source;

import java.io.Serializable;
import java.util.Objects;

/**
 * An event as it arrived, before decoding: the stream (from the topic name or the input line), the
 * payload text and where it came from (dead letters carry it).
 *
 * @param source the Kafka topic, or the file name for {@code vigil run}
 * @param partition the Kafka partition; -1 for a file
 * @param offset the Kafka offset, or the line's byte offset in a file (-1 when not known)
 */
public record RawEvent(String stream, String payload, String source, int partition, long offset)
    implements Serializable {

  public RawEvent {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(source, "source");
  }

  /** {@code topic/partition@offset}, or the file name. */
  public String origin() {
    return partition < 0 ? source : source + "/" + partition + "@" + offset;
  }
}
