package io.vigil.runtime.matching;

import io.vigil.compiler.event.Event;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.alert.AlertFitting;
import io.vigil.runtime.alert.AlertJson;
import io.vigil.runtime.alert.AlertLimits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds an {@link Alert} from a match of a rule; shared by the dynamic and the static path. */
public final class Alerts {

  private Alerts() {}

  /**
   * @param endTime for a timed-out partial match, the time at which it timed out; otherwise ignored
   *     (the last matched event's time is used)
   */
  public static Alert of(
      MatchingRule rule,
      Alert.Kind kind,
      Map<String, List<Event>> match,
      long endTime,
      long detectedAt) {
    return of(rule, kind, match, endTime, detectedAt, AlertLimits.none());
  }

  /**
   * As {@link #of(MatchingRule, Alert.Kind, Map, long, long)}, within {@code limits}: a stage keeps
   * its first and last events up to the cap (only those are encoded), and the alert is then fitted
   * to the maximum size ({@link AlertFitting}). The template sees every matched event.
   */
  public static Alert of(
      MatchingRule rule,
      Alert.Kind kind,
      Map<String, List<Event>> match,
      long endTime,
      long detectedAt,
      AlertLimits limits) {
    Map<String, Object> key = Map.of();
    Map<String, Integer> dropped = new LinkedHashMap<>();
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    Map<String, List<Map<String, Object>>> events = new LinkedHashMap<>();
    for (Map.Entry<String, List<Event>> stage : match.entrySet()) {
      List<Event> all = stage.getValue();
      for (Event event : all) {
        start = Math.min(start, event.timestamp());
        end = Math.max(end, event.timestamp());
        if (key.isEmpty()) {
          key = rule.key(event).orElse(Map.of());
        }
      }
      int cap = limits.maxEventsPerStage();
      List<Event> kept = cap > 0 ? AlertFitting.keepEnds(all, cap) : all;
      if (kept.size() < all.size()) {
        dropped.put(stage.getKey(), all.size() - kept.size());
      }
      List<Map<String, Object>> encoded = new ArrayList<>(kept.size());
      for (Event event : kept) {
        encoded.add(rule.encode(event));
      }
      events.put(stage.getKey(), encoded);
    }
    if (kind == Alert.Kind.TIMEOUT) {
      end = endTime;
    }
    MatchingRule.AlertText text = rule.render(kind, match, key);
    Alert alert =
        new Alert(
            AlertJson.alertId(rule.id(), rule.version(), kind, key, events, dropped),
            rule.id(),
            rule.version(),
            kind,
            text.severity(),
            text.title(),
            text.message(),
            text.tags(),
            text.owner(),
            key,
            start == Long.MAX_VALUE ? endTime : start,
            end == Long.MIN_VALUE ? endTime : end,
            detectedAt,
            events,
            dropped,
            false);
    return AlertFitting.fit(alert, limits.maxBytes());
  }
}
