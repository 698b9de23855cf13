package io.vigil.runtime.config;

import static io.vigil.runtime.config.Parsers.atLeast;

import java.util.List;

/** How large an alert may grow (see {@code AlertLimits}, whose defaults these are). */
public final class AlertOptions {

  private AlertOptions() {}

  /**
   * The smallest {@code alerts.max-bytes}: an alert with every event dropped and its texts cut
   * still fits.
   */
  public static final int MIN_MAX_BYTES = 4096;

  public static final Option<Integer> ALERT_MAX_EVENTS_PER_STAGE =
      new Option<>(
          "alerts.max-events-per-stage",
          "100",
          "Matched events an alert carries per stage (the first and last halves); the others are"
              + " counted in the alert's `dropped` (0: all).",
          atLeast(0));

  /**
   * The default is below Kafka's default {@code max.request.size} (1 MiB), with room for key and
   * headers.
   */
  public static final Option<Integer> ALERT_MAX_BYTES =
      new Option<>(
          "alerts.max-bytes",
          "900000",
          "Maximum size of an alert's JSON; a larger one loses events, then has its texts cut"
              + " (`truncated`). Must be below the producer's max.request.size.",
          atLeast(MIN_MAX_BYTES));

  /** The options of this group, in documentation order. */
  public static List<Option<?>> all() {
    return List.of(ALERT_MAX_EVENTS_PER_STAGE, ALERT_MAX_BYTES);
  }
}
