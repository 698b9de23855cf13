package io.vigil.runtime.alert;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes an alert fit {@link AlertLimits#maxBytes()}: first the largest stage gives up half of its
 * events (from the middle, the first and last stay), as often as needed; then the message, the
 * title and any long key value are cut, ending in {@link #MARKER}. What is left out is counted in
 * {@link Alert#dropped()} and {@link Alert#truncated()}; the alert id stays the one of the match.
 */
public final class AlertFitting {

  /** Appended to a text that was cut. */
  public static final String MARKER = "… [truncated]";

  /** Room for an alert with no events and cut texts (ids, times, a short message). */
  static final int MIN_BYTES = io.vigil.runtime.config.AlertOptions.MIN_MAX_BYTES;

  private static final int SHORT_TEXT = 256;

  private AlertFitting() {}

  public static Alert fit(Alert alert, int maxBytes) {
    if (maxBytes == Integer.MAX_VALUE || upperBound(alert) <= maxBytes || size(alert) <= maxBytes) {
      return alert;
    }
    Map<String, List<Map<String, Object>>> events = new LinkedHashMap<>(alert.events());
    Map<String, Integer> dropped = new LinkedHashMap<>(alert.dropped());
    Alert fitted = alert;
    while (size(fitted) > maxBytes) {
      String largest = null;
      for (Map.Entry<String, List<Map<String, Object>>> stage : events.entrySet()) {
        if (!stage.getValue().isEmpty()
            && (largest == null || stage.getValue().size() > events.get(largest).size())) {
          largest = stage.getKey();
        }
      }
      if (largest == null) {
        break;
      }
      List<Map<String, Object>> kept = events.get(largest);
      List<Map<String, Object>> half = keepEnds(kept, kept.size() / 2);
      events.put(largest, half);
      dropped.merge(largest, kept.size() - half.size(), Integer::sum);
      fitted = with(alert, events, dropped, alert.title(), alert.message(), alert.key(), false);
    }
    if (size(fitted) <= maxBytes) {
      return fitted;
    }
    // No event left to give up: the texts go.
    int budget = Math.max(SHORT_TEXT, maxBytes / 4);
    fitted =
        with(
            alert,
            events,
            dropped,
            cut(alert.title(), SHORT_TEXT),
            cut(alert.message(), budget),
            alert.key(),
            true);
    if (size(fitted) <= maxBytes) {
      return fitted;
    }
    Map<String, Object> key = new LinkedHashMap<>();
    alert.key().forEach((k, v) -> key.put(k, v instanceof String s ? cut(s, SHORT_TEXT) : v));
    return with(
        alert,
        events,
        dropped,
        cut(alert.title(), SHORT_TEXT),
        cut(alert.message(), SHORT_TEXT),
        key,
        true);
  }

  /**
   * The first {@code n - n/2} and the last {@code n/2} elements: a loop's start and end stay
   * visible.
   */
  public static <T> List<T> keepEnds(List<T> all, int n) {
    if (all.size() <= n) {
      return all;
    }
    int tail = n / 2;
    List<T> kept = new ArrayList<>(n);
    kept.addAll(all.subList(0, n - tail));
    kept.addAll(all.subList(all.size() - tail, all.size()));
    return kept;
  }

  /** The size of the alert's JSON form in UTF-8 bytes. */
  public static int size(Alert alert) {
    return AlertJson.write(alert).getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * At least {@link #size}, counted without writing the JSON: every character of a text may take up
   * to six bytes (a {@code \\u} escape), a number or time at most {@link #SCALAR_BYTES}. Nearly
   * every alert is far below its maximum, and this is what lets it be written once, by its sink.
   */
  public static long upperBound(Alert alert) {
    long bound = FIXED_BYTES;
    bound += text(alert.alertId()) + text(alert.ruleId()) + text(alert.severity());
    bound += text(alert.title()) + text(alert.message()) + text(alert.owner().orElse(null));
    for (String tag : alert.tags()) {
      bound += text(tag) + 1;
    }
    return capped(bound + value(alert.key()) + value(alert.events()) + value(alert.dropped()));
  }

  /** Field names, punctuation, the version, the kind, three times and a boolean. */
  private static final int FIXED_BYTES = 512;

  /** A long, a decimal's digits aside, a double, a boolean or a null as JSON. */
  private static final int SCALAR_BYTES = 40;

  private static long text(String s) {
    return s == null ? SCALAR_BYTES : 2 + 6L * s.length();
  }

  private static long value(Object value) {
    if (value instanceof String s) {
      return text(s);
    }
    if (value instanceof java.math.BigDecimal d) {
      return SCALAR_BYTES + d.precision();
    }
    if (value == null
        || value instanceof Long
        || value instanceof Integer
        || value instanceof Double
        || value instanceof Boolean) {
      return SCALAR_BYTES;
    }
    if (value instanceof Map<?, ?> map) {
      long bound = 2;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        bound = capped(bound + text(String.valueOf(e.getKey())) + 2 + value(e.getValue()));
      }
      return bound;
    }
    if (value instanceof List<?> list) {
      long bound = 2;
      for (Object element : list) {
        bound = capped(bound + 1 + value(element));
      }
      return bound;
    }
    // Anything else is written through a Jackson tree: no bound without writing it.
    return UNBOUNDED;
  }

  /** Far above any maximum size, and far from overflowing when a few are added. */
  private static final long UNBOUNDED = 1L << 50;

  private static long capped(long bound) {
    return Math.min(bound, UNBOUNDED);
  }

  private static String cut(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    return text.substring(0, max) + MARKER;
  }

  private static Alert with(
      Alert a,
      Map<String, List<Map<String, Object>>> events,
      Map<String, Integer> dropped,
      String title,
      String message,
      Map<String, Object> key,
      boolean truncated) {
    return new Alert(
        a.alertId(),
        a.ruleId(),
        a.ruleVersion(),
        a.kind(),
        a.severity(),
        title,
        message,
        a.tags(),
        a.owner(),
        key,
        a.startTime(),
        a.endTime(),
        a.detectedAt(),
        events,
        dropped,
        truncated || a.truncated());
  }
}
