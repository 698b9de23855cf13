package io.vigil.console.alerts;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * The time ranges the alert charts offer, each with the width of one bar. The alert service counts
 * alerts per rule and minute for 8 days, so the longest range is 7 days.
 */
public enum ChartSpan {
  HOUR("1h", Duration.ofHours(1), Duration.ofMinutes(1)),
  SIX_HOURS("6h", Duration.ofHours(6), Duration.ofMinutes(5)),
  DAY("24h", Duration.ofDays(1), Duration.ofMinutes(15)),
  WEEK("7d", Duration.ofDays(7), Duration.ofHours(1));

  private final String label;
  private final Duration length;
  private final Duration step;

  ChartSpan(String label, Duration length, Duration step) {
    this.label = label;
    this.length = length;
    this.step = step;
  }

  /** As written in a URL ({@code range=24h}). */
  public String label() {
    return label;
  }

  public Duration length() {
    return length;
  }

  public Duration step() {
    return step;
  }

  public static Optional<ChartSpan> ofLabel(String label) {
    return Arrays.stream(values()).filter(s -> s.label.equals(label)).findFirst();
  }
}
