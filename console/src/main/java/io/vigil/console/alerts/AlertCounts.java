package io.vigil.console.alerts;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Alerts per rule over time, from the per-minute counters the alert service keeps ({@code
 * vigil:rule:<id>:counts:<day>}, field {@code HH:mm}): one {@code HGETALL} per rule and day of the
 * range.
 */
@Component
public class AlertCounts {

  /** Rules drawn in the chart of every rule: the ones with most alerts in the range. */
  static final int MAX_SERIES = 8;

  private final StringRedisTemplate redis;
  private final Clock clock;

  public AlertCounts(StringRedisTemplate redis, Clock clock) {
    this.redis = redis;
    this.clock = clock;
  }

  /** Alerts per bucket of one rule ({@code rule} non-empty) or of the busiest rules. */
  public AlertChart chart(ChartSpan span, Optional<String> rule) {
    long step = span.step().toSeconds();
    Instant end = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
    long from = Math.floorDiv(end.minus(span.length()).getEpochSecond(), step) * step;
    int buckets = (int) ((end.getEpochSecond() - from + step - 1) / step);
    List<Long> times = new ArrayList<>(buckets);
    for (int i = 0; i < buckets; i++) {
      times.add(from + i * step);
    }
    Set<String> rules = rule.map(Set::of).orElseGet(this::rulesWithAlerts);
    List<AlertChart.Series> series = new ArrayList<>();
    for (String id : rules) {
      long[] counts = counts(id, from, step, buckets);
      long total = java.util.Arrays.stream(counts).sum();
      if (total > 0 || rule.isPresent()) {
        series.add(
            new AlertChart.Series(id, java.util.Arrays.stream(counts).boxed().toList(), total));
      }
    }
    series.sort(
        Comparator.comparingLong(AlertChart.Series::total)
            .reversed()
            .thenComparing(AlertChart.Series::rule));
    return new AlertChart(
        span.label(), step, times, series.subList(0, Math.min(MAX_SERIES, series.size())));
  }

  private Set<String> rulesWithAlerts() {
    Set<String> ids = redis.opsForSet().members(AlertKeys.RULES);
    return ids == null ? Set.of() : ids;
  }

  private long[] counts(String rule, long from, long step, int buckets) {
    long[] counts = new long[buckets];
    long to = from + buckets * step;
    LocalDate first = LocalDate.ofInstant(Instant.ofEpochSecond(from), ZoneOffset.UTC);
    LocalDate last = LocalDate.ofInstant(Instant.ofEpochSecond(to - 1), ZoneOffset.UTC);
    for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
      Map<Object, Object> minutes = redis.opsForHash().entries(AlertKeys.ruleCounts(rule, day));
      for (Map.Entry<Object, Object> minute : minutes.entrySet()) {
        Optional<Long> at = minuteStart(day, minute.getKey().toString());
        if (at.isEmpty() || at.get() < from || at.get() >= to) {
          continue;
        }
        try {
          counts[(int) ((at.get() - from) / step)] += Long.parseLong(minute.getValue().toString());
        } catch (NumberFormatException e) {
          // Not a count the alert service wrote: left out of the chart.
        }
      }
    }
    return counts;
  }

  private static Optional<Long> minuteStart(LocalDate day, String field) {
    try {
      return Optional.of(day.atTime(LocalTime.parse(field)).toEpochSecond(ZoneOffset.UTC));
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
