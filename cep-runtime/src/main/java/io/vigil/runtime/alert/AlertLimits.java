package io.vigil.runtime.alert;

import io.vigil.runtime.config.AlertOptions;
import java.io.Serializable;

/**
 * How large an alert may grow. A rule with a long loop can match thousands of events; an alert that
 * carried them all could exceed the producer's maximum record size and fail the exactly-once sink
 * on every replay.
 *
 * @param maxEventsPerStage matched events kept per stage (the first half and the last half of the
 *     stage; the rest are counted in {@link Alert#dropped()}); 0 keeps all
 * @param maxBytes the JSON form's maximum size in UTF-8 bytes; an alert above it loses more events,
 *     then has its texts cut ({@link Alert#truncated()}); must stay below the producer's {@code
 *     max.request.size}
 */
public record AlertLimits(int maxEventsPerStage, int maxBytes) implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Below Kafka's default {@code max.request.size} (1 MiB) with room for key and headers. */
  public static final int DEFAULT_MAX_BYTES = AlertOptions.ALERT_MAX_BYTES.defaultParsed();

  /** The job's defaults ({@link AlertOptions}). */
  public static AlertLimits defaults() {
    return new AlertLimits(
        AlertOptions.ALERT_MAX_EVENTS_PER_STAGE.defaultParsed(), DEFAULT_MAX_BYTES);
  }

  /** No cap (the static reference path of the tests). */
  public static AlertLimits none() {
    return new AlertLimits(0, Integer.MAX_VALUE);
  }

  public AlertLimits {
    if (maxEventsPerStage < 0) {
      throw new IllegalArgumentException("maxEventsPerStage must be >= 0: " + maxEventsPerStage);
    }
    if (maxBytes < AlertFitting.MIN_BYTES) {
      throw new IllegalArgumentException(
          "maxBytes must be at least " + AlertFitting.MIN_BYTES + ": " + maxBytes);
    }
  }
}
