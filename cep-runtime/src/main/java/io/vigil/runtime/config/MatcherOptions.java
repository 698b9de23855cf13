package io.vigil.runtime.config;

import static io.vigil.runtime.config.Parsers.atLeast;
import static io.vigil.runtime.config.Parsers.duration;

import java.time.Duration;
import java.util.List;

/** The matcher's guard rails (see {@code MatcherSettings}, whose defaults these are). */
public final class MatcherOptions {

  private MatcherOptions() {}

  public static final Option<Integer> MAX_PARTIAL_MATCHES =
      new Option<>(
          "matcher.max-partial-matches",
          "10000",
          "Live partial matches allowed per rule and key; the oldest beyond are dropped (0: no"
              + " cap).",
          atLeast(0));
  public static final Option<Duration> IDLE_KEY_TTL =
      new Option<>(
          "matcher.idle-key-ttl",
          "1d",
          "Event time after which a key without events loses all its state (0s: never).",
          duration());
  public static final Option<Integer> MAX_QUEUED_EVENTS_PER_KEY =
      new Option<>(
          "matcher.max-queued-events-per-key",
          "100000",
          "Events of one key waiting for the watermark; further ones are dropped and counted"
              + " (metric eventsDroppedByKeyQueueCap; 0: no cap).",
          atLeast(0));

  /** The options of this group, in documentation order. */
  public static List<Option<?>> all() {
    return List.of(MAX_PARTIAL_MATCHES, IDLE_KEY_TTL, MAX_QUEUED_EVENTS_PER_KEY);
  }
}
