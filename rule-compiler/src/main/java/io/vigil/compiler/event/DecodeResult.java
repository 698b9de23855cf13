package io.vigil.compiler.event;

import java.util.Optional;

/**
 * The outcome of decoding one JSON message: an {@link Event}, or the precise reason it was rejected
 * (e.g. {@code field amount: expected decimal, got "abc"}) for the dead-letter topic.
 */
public sealed interface DecodeResult {

  record Decoded(Event event) implements DecodeResult {}

  record Rejected(String reason) implements DecodeResult {}

  default Optional<Event> decoded() {
    return this instanceof Decoded d ? Optional.of(d.event()) : Optional.empty();
  }

  default Optional<String> rejection() {
    return this instanceof Rejected r ? Optional.of(r.reason()) : Optional.empty();
  }

  default boolean ok() {
    return this instanceof Decoded;
  }
}
