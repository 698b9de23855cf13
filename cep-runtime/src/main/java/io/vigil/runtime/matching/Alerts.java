package io.vigil.runtime.matching;

import io.vigil.compiler.event.Event;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.alert.AlertJson;
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
    Map<String, Object> key = Map.of();
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    Map<String, List<Map<String, Object>>> events = new LinkedHashMap<>();
    for (Map.Entry<String, List<Event>> stage : match.entrySet()) {
      List<Map<String, Object>> encoded = new ArrayList<>(stage.getValue().size());
      for (Event event : stage.getValue()) {
        encoded.add(rule.encode(event));
        start = Math.min(start, event.timestamp());
        end = Math.max(end, event.timestamp());
        if (key.isEmpty()) {
          key = rule.key(event).orElse(Map.of());
        }
      }
      events.put(stage.getKey(), encoded);
    }
    if (kind == Alert.Kind.TIMEOUT) {
      end = endTime;
    }
    MatchingRule.AlertText text = rule.render(kind, match, key);
    return new Alert(
        AlertJson.alertId(rule.id(), rule.version(), kind, key, events),
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
        events);
  }
}
