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
    if (maxBytes == Integer.MAX_VALUE || size(alert) <= maxBytes) {
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
