package io.vigil.runtime.config;

import static io.vigil.runtime.config.Parsers.duration;
import static io.vigil.runtime.config.Parsers.overrides;
import static io.vigil.runtime.config.Parsers.positiveDuration;

import io.vigil.compiler.event.DecodingLimits;
import java.time.Duration;
import java.util.List;

/** How the job reads events and advances event time. */
public final class EventOptions {

  private EventOptions() {}

  public static final Option<String> STARTING_OFFSETS =
      new Option<>(
          "events.starting-offsets",
          "committed",
          "Where a fresh job starts reading events: earliest, latest or committed (falls back to"
              + " earliest). A restored job always continues from its checkpoint.",
          t -> {
            String v = t.trim();
            if (!List.of("earliest", "latest", "committed").contains(v)) {
              throw new IllegalArgumentException("expected earliest, latest or committed");
            }
            return v;
          });
  public static final Option<Duration> WATERMARK_INTERVAL =
      new Option<>(
          "events.watermark-interval",
          "20ms",
          "How often event time (the watermark) is advanced: an event is evaluated at most this"
              + " long after the watermark could pass it.",
          positiveDuration());
  public static final Option<Duration> IDLENESS =
      new Option<>(
          "events.idleness",
          "30s",
          "A stream without events for this long stops holding back event time.",
          duration());
  public static final Option<DecodingLimits> DECODING_LIMITS =
      new Option<>(
          "events.decoding-limits",
          "",
          "Overrides of the event decoder's limits as NAME=VALUE pairs separated by commas:"
              + " string-length, decimal-digits, nesting-depth (defaults: docs/language.md). An"
              + " event beyond them is a dead letter with the reason.",
          overrides(DecodingLimits.defaults(), DecodingLimits::with));
  public static final Option<Duration> MAX_AHEAD_OF_WATERMARK =
      new Option<>(
          "events.max-ahead-of-watermark",
          "1d",
          "An event dated more than this ahead of its stream's watermark goes to the dead-letter"
              + " topic instead of moving event time (0s: off).",
          duration());
  public static final Option<Duration> MAX_AHEAD_OF_CLOCK =
      new Option<>(
          "events.max-ahead-of-clock",
          "1d",
          "An event dated more than this ahead of the wall clock goes to the dead-letter topic"
              + " (0s: off).",
          duration());

  /** The options of this group, in documentation order. */
  public static List<Option<?>> all() {
    return List.of(
        STARTING_OFFSETS,
        WATERMARK_INTERVAL,
        IDLENESS,
        DECODING_LIMITS,
        MAX_AHEAD_OF_WATERMARK,
        MAX_AHEAD_OF_CLOCK);
  }
}
