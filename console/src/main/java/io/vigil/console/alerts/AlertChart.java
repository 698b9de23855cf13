package io.vigil.console.alerts;

import java.util.List;

/**
 * Alerts per rule over time, as the charts draw them (and as {@code /alerts/chart} serves them).
 *
 * <p>With a range of 1 h and a step of 60 s at 10:00:30, {@code times} holds the 60 minute starts
 * 09:01 … 10:00 (epoch seconds) and each series one count per minute, the last one for the minute
 * still running.
 *
 * @param range the range's label ({@code 1h}, {@code 6h}, {@code 24h}, {@code 7d})
 * @param stepSeconds width of one bucket
 * @param times start of each bucket, epoch seconds, oldest first
 * @param series one per rule, the rules with most alerts first
 */
public record AlertChart(String range, long stepSeconds, List<Long> times, List<Series> series) {

  /**
   * @param counts alerts per bucket, aligned with {@link AlertChart#times()}
   * @param total their sum
   */
  public record Series(String rule, List<Long> counts, long total) {}

  public long total() {
    return series.stream().mapToLong(Series::total).sum();
  }
}
