package io.vigil.console.streams.activity;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The last sample of the job's topics: each stream's rate, the newest dead letters (newest first)
 * and how many the topic holds.
 *
 * @param problem why the last sample failed (Kafka unreachable…); the figures are then the ones
 *     before
 */
public record ActivitySnapshot(
    Map<String, StreamRate> rates,
    List<DeadLetter> deadLetters,
    long deadLetterCount,
    Optional<Instant> sampledAt,
    Optional<String> problem) {

  public ActivitySnapshot {
    rates = Map.copyOf(rates);
    deadLetters = List.copyOf(deadLetters);
  }

  static ActivitySnapshot none() {
    return new ActivitySnapshot(Map.of(), List.of(), 0, Optional.empty(), Optional.empty());
  }

  public Optional<StreamRate> rate(String stream) {
    return Optional.ofNullable(rates.get(stream));
  }
}
