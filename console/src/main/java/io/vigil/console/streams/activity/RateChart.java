package io.vigil.console.streams.activity;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The streams page's chart as its script (js/charts.js) reads it: sample times (epoch seconds) and,
 * per stream, its events per second at each of them ({@code null}: not measured then, drawn as a
 * gap).
 *
 * @param unit the value axis's label
 * @param empty what the page says when no rate has been measured yet
 */
public record RateChart(List<Long> times, List<Series> series, String unit, String empty) {

  public RateChart {
    times = List.copyOf(times);
    series = List.copyOf(series);
  }

  static RateChart of(List<Long> times, List<Series> series) {
    return new RateChart(
        times,
        series,
        "events/s",
        "No event rate measured in the last hour yet (a rate needs two samples of a topic).");
  }

  /** One stream's rates; {@code values} holds nulls for gaps (List.copyOf refuses them). */
  public record Series(String label, List<Double> values) {
    public Series {
      values = Collections.unmodifiableList(new ArrayList<>(values));
    }
  }
}
