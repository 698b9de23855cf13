package io.vigil.runtime.source;

import java.io.Serializable;
import java.util.Objects;

/**
 * An input record that could not become an event: malformed JSON, a value of the wrong type, an
 * unknown stream. Written to {@code vigil.dead-letter} with the reason, the raw payload and where
 * it came from.
 */
public record DeadLetter(
    String reason,
    String stream,
    String payload,
    String source,
    int partition,
    long offset,
    long at)
    implements Serializable {

  public DeadLetter {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(source, "source");
  }

  public String origin() {
    return partition < 0 ? source : source + "/" + partition + "@" + offset;
  }
}
