package io.vigil.console.streams.activity;

import java.time.Duration;
import java.util.Locale;

/**
 * A stream's input between the last two samples of its topic's end offsets.
 *
 * @param endOffset the sum of the topic's partitions' end offsets at the last sample: every event
 *     ever appended (and not compacted away)
 * @param events appended between the two samples
 * @param window the time between the two samples; zero before the second sample
 */
public record StreamRate(
    String stream, String topic, long endOffset, long events, Duration window) {

  /** Events per second over the window; 0 before the second sample. */
  public double perSecond() {
    return window.isZero() ? 0 : events * 1000.0 / window.toMillis();
  }

  public boolean measured() {
    return !window.isZero();
  }

  public String describe() {
    if (!measured()) {
      return "measuring…";
    }
    return String.format(Locale.ROOT, "%.1f events/s", perSecond())
        + " ("
        + events
        + " in the last "
        + Math.max(1, window.toSeconds())
        + " s)";
  }
}
