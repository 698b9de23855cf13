package io.vigil.runtime.source;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A record of an events topic as the job reads it: the value's bytes are decoded straight into the
 * event's fields ({@link EventRecordDecoding}), never made a string but for a dead letter.
 *
 * @param stream the topic name without the events prefix
 * @param value the record's value, UTF-8 JSON (empty for a record without one)
 * @param topic the Kafka topic
 * @param partition the Kafka partition
 * @param offset the record's offset in its partition
 */
public record EventRecord(String stream, byte[] value, String topic, int partition, long offset)
    implements Serializable {

  // The value is the Kafka record's own array, handed on without a copy: nothing writes to it.
  public EventRecord {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(topic, "topic");
  }

  /** Equal records: the same value bytes from the same place. */
  @Override
  public boolean equals(Object other) {
    return other instanceof EventRecord r
        && stream.equals(r.stream)
        && Arrays.equals(value, r.value)
        && topic.equals(r.topic)
        && partition == r.partition
        && offset == r.offset;
  }

  @Override
  public int hashCode() {
    return Objects.hash(stream, Arrays.hashCode(value), topic, partition, offset);
  }

  @Override
  public String toString() {
    return "EventRecord[%s %s/%d@%d, %d bytes]"
        .formatted(stream, topic, partition, offset, value.length);
  }

  /** The value as text, as a dead letter shows it. */
  public String text() {
    return new String(value, StandardCharsets.UTF_8);
  }

  /** The record as a dead letter carries it. */
  public RawEvent raw() {
    return new RawEvent(stream, text(), topic, partition, offset);
  }
}
