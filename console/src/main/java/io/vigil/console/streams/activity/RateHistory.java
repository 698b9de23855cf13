package io.vigil.console.streams.activity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The streams' event rates over the last hour, one point per sample that measured a rate, for the
 * streams page's chart. Kept in memory only: a restarted console starts a new chart.
 */
final class RateHistory {
  static final Duration SPAN = Duration.ofHours(1);

  /** However short the sample interval, the chart holds at most this many points. */
  static final int MAX_POINTS = 720;

  private record Point(Instant at, Map<String, Double> perSecond) {}

  private final Deque<Point> points = new ArrayDeque<>();

  /** Adds the sample's measured rates; a sample that measured none (the first) adds no point. */
  synchronized void add(Instant at, Map<String, StreamRate> rates) {
    Map<String, Double> measured = new TreeMap<>();
    rates.forEach(
        (stream, rate) -> {
          if (rate.measured()) {
            measured.put(stream, rate.perSecond());
          }
        });
    if (measured.isEmpty()) {
      return;
    }
    points.addLast(new Point(at, measured));
    Instant oldest = at.minus(SPAN);
    while (points.size() > MAX_POINTS || points.peekFirst().at().isBefore(oldest)) {
      points.removeFirst();
    }
  }

  /** Every stream measured in the last hour, with a gap where a sample did not measure it. */
  synchronized RateChart chart() {
    List<Long> times = new ArrayList<>();
    TreeSet<String> streams = new TreeSet<>();
    for (Point p : points) {
      times.add(p.at().getEpochSecond());
      streams.addAll(p.perSecond().keySet());
    }
    List<RateChart.Series> series = new ArrayList<>();
    for (String stream : streams) {
      List<Double> values = new ArrayList<>();
      for (Point p : points) {
        values.add(p.perSecond().get(stream));
      }
      series.add(new RateChart.Series(stream, values));
    }
    return RateChart.of(times, series);
  }
}
