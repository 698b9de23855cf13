package io.vigil.compiler.event;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One decoded event: its stream, its event time and its field values in the order of the stream's
 * {@link io.vigil.dsl.schema.StreamSchema} (nested objects flattened). A missing or null field is
 * {@code null} in {@code values}; values use the run-time representation of {@link
 * io.vigil.dsl.schema.Type}. The array is never modified after decoding.
 */
public final class Event implements Serializable {

  private static final long serialVersionUID = 1L;

  private final String stream;
  private final long timestamp;
  private final Object[] values;

  /**
   * The event's fields by name, made once ({@link EventEncoder#toMap}): every alert that carries
   * the event shares them. One reference, so that a reader sees an encoder with its own fields.
   */
  private transient Encoded encoded;

  private record Encoded(EventEncoder by, EncodedEvent fields) {}

  public Event(String stream, long timestamp, Object[] values) {
    this.stream = Objects.requireNonNull(stream, "stream");
    this.timestamp = timestamp;
    this.values = Objects.requireNonNull(values, "values");
  }

  public String stream() {
    return stream;
  }

  /** Event time in epoch milliseconds, read from the stream's {@code time} field. */
  public long timestamp() {
    return timestamp;
  }

  /** The value at {@code index}, or null when the event does not carry it. */
  public Object value(int index) {
    return values[index];
  }

  public int size() {
    return values.length;
  }

  /** The fields by name made for {@code encoder}, or one of the same schema; null if none. */
  EncodedEvent encodedFor(EventEncoder encoder) {
    Encoded made = encoded;
    return made != null && (made.by() == encoder || made.by().sameFields(encoder))
        ? made.fields()
        : null;
  }

  void encoded(EventEncoder encoder, EncodedEvent fields) {
    encoded = new Encoded(encoder, fields);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Event e
        && e.timestamp == timestamp
        && e.stream.equals(stream)
        && Arrays.equals(e.values, values);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * stream.hashCode() + Long.hashCode(timestamp)) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return stream + "@" + timestamp + Arrays.toString(values);
  }
}
