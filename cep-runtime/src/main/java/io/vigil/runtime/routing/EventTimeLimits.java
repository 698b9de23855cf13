package io.vigil.runtime.routing;

import io.vigil.runtime.config.EventOptions;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How far ahead an event may be dated. An event dated years ahead would otherwise move its stream's
 * watermark: every later event would be late and every window would time out.
 *
 * @param maxAheadOfWatermark an event more than this ahead of its stream's watermark is
 *     dead-lettered ({@link Duration#ZERO}: no such check)
 * @param maxAheadOfClock an event more than this ahead of the wall clock is dead-lettered ({@link
 *     Duration#ZERO}: no such check; a backtest replays recorded time and has none)
 */
public record EventTimeLimits(Duration maxAheadOfWatermark, Duration maxAheadOfClock)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  public EventTimeLimits {
    Objects.requireNonNull(maxAheadOfWatermark, "maxAheadOfWatermark");
    Objects.requireNonNull(maxAheadOfClock, "maxAheadOfClock");
    if (maxAheadOfWatermark.isNegative() || maxAheadOfClock.isNegative()) {
      throw new IllegalArgumentException("event time limits must not be negative");
    }
  }

  /** The live job's defaults ({@link EventOptions}). */
  public static EventTimeLimits defaults() {
    return new EventTimeLimits(
        EventOptions.MAX_AHEAD_OF_WATERMARK.defaultParsed(),
        EventOptions.MAX_AHEAD_OF_CLOCK.defaultParsed());
  }

  /** A backtest: the stream's watermark only. */
  public static EventTimeLimits withoutClock(Duration maxAheadOfWatermark) {
    return new EventTimeLimits(maxAheadOfWatermark, Duration.ZERO);
  }

  public static EventTimeLimits none() {
    return new EventTimeLimits(Duration.ZERO, Duration.ZERO);
  }
}
