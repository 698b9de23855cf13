package io.vigil.runtime.matcher;

import io.vigil.runtime.alert.AlertLimits;
import io.vigil.runtime.config.MatcherOptions;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Guard rails of the matcher; the job sets them from its {@code matcher.*} options ({@link
 * MatcherOptions}), whose defaults {@link #defaults()} are.
 *
 * @param maxPartialMatches live partial matches allowed per (rule, key); the oldest beyond it are
 *     dropped and counted ({@code droppedByCap}); 0 disables the cap
 * @param idleKeyTtl a key with no event for this long in event time loses all its state (queued
 *     events, partial matches of every rule); zero disables it
 * @param maxQueuedEventsPerKey events of one key allowed to wait for the watermark; one more is
 *     dropped and counted ({@code eventsDroppedByKeyQueueCap}); 0 disables the cap
 * @param alerts how many matched events and bytes an alert may carry
 */
public record MatcherSettings(
    int maxPartialMatches, Duration idleKeyTtl, int maxQueuedEventsPerKey, AlertLimits alerts)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The job's defaults ({@link MatcherOptions}). */
  public static MatcherSettings defaults() {
    return new MatcherSettings(
        MatcherOptions.MAX_PARTIAL_MATCHES.defaultParsed(),
        MatcherOptions.IDLE_KEY_TTL.defaultParsed());
  }

  /** With the default queue cap and alert limits. */
  public MatcherSettings(int maxPartialMatches, Duration idleKeyTtl) {
    this(
        maxPartialMatches,
        idleKeyTtl,
        MatcherOptions.MAX_QUEUED_EVENTS_PER_KEY.defaultParsed(),
        AlertLimits.defaults());
  }

  public MatcherSettings {
    if (maxPartialMatches < 0) {
      throw new IllegalArgumentException("maxPartialMatches must be >= 0: " + maxPartialMatches);
    }
    if (idleKeyTtl.isNegative()) {
      throw new IllegalArgumentException("idleKeyTtl must not be negative: " + idleKeyTtl);
    }
    if (maxQueuedEventsPerKey < 0) {
      throw new IllegalArgumentException(
          "maxQueuedEventsPerKey must be >= 0: " + maxQueuedEventsPerKey);
    }
    Objects.requireNonNull(alerts, "alerts");
  }
}
