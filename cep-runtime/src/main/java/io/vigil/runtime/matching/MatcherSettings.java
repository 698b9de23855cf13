package io.vigil.runtime.matching;

import java.io.Serializable;
import java.time.Duration;

/**
 * Guard rails of the matcher.
 *
 * @param maxPartialMatches live partial matches allowed per (rule, key); the oldest beyond it are
 *     dropped and counted ({@code droppedByCap}); 0 disables the cap
 * @param idleKeyTtl a key with no event for this long in event time loses all its state (queued
 *     events, partial matches of every rule); zero disables it
 */
public record MatcherSettings(int maxPartialMatches, Duration idleKeyTtl) implements Serializable {

  private static final long serialVersionUID = 1L;

  public static MatcherSettings defaults() {
    return new MatcherSettings(10_000, Duration.ofDays(1));
  }

  public MatcherSettings {
    if (maxPartialMatches < 0) {
      throw new IllegalArgumentException("maxPartialMatches must be >= 0: " + maxPartialMatches);
    }
    if (idleKeyTtl.isNegative()) {
      throw new IllegalArgumentException("idleKeyTtl must not be negative: " + idleKeyTtl);
    }
  }
}
