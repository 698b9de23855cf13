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
