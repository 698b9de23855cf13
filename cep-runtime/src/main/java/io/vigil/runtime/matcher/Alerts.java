package io.vigil.runtime.matcher;

import io.vigil.compiler.event.Event;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.alert.AlertFitting;
import io.vigil.runtime.alert.AlertJson;
import io.vigil.runtime.alert.AlertLimits;
import io.vigil.runtime.rules.MatchingRule;
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
    Body body = body(rule, match, endTime, kind, limits);
    return build(rule, kind, body, "", rule.render(kind, match, body.key), detectedAt, limits);
  }

  /**
   * The alerts of a complete match ({@link MatchingRule#alertTexts}): one for a pattern rule, any
   * number for a DRL decision rule set.
   */
  public static List<Alert> ofMatch(
      MatchingRule rule, Map<String, List<Event>> match, long detectedAt, AlertLimits limits) {
    Body body = body(rule, match, 0L, Alert.Kind.MATCH, limits);
    List<Alert> out = new ArrayList<>();
    for (MatchingRule.RaisedText raised : rule.alertTexts(match, body.key)) {
      out.add(
          build(
              rule,
              Alert.Kind.MATCH,
              body,
              raised.discriminator(),
              raised.text(),
              detectedAt,
              limits));
    }
    return out;
  }

  /** What every alert of one match shares: key, encoded events, time span. */
  private record Body(
      Map<String, Object> key,
      Map<String, List<Map<String, Object>>> events,
      Map<String, Integer> dropped,
      long start,
      long end) {}

  private static Body body(
      MatchingRule rule,
      Map<String, List<Event>> match,
      long endTime,
      Alert.Kind kind,
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
    return new Body(
        key,
        events,
        dropped,
        start == Long.MAX_VALUE ? endTime : start,
        end == Long.MIN_VALUE ? endTime : end);
  }

  private static Alert build(
      MatchingRule rule,
      Alert.Kind kind,
      Body body,
      String discriminator,
      MatchingRule.AlertText text,
      long detectedAt,
      AlertLimits limits) {
    // An empty discriminator keeps the ids of pattern rules' alerts what they always were.
    String idRule = discriminator.isEmpty() ? rule.id() : rule.id() + "#" + discriminator;
    Alert alert =
        new Alert(
            AlertJson.alertId(idRule, rule.version(), kind, body.key, body.events, body.dropped),
            rule.id(),
            rule.version(),
            kind,
            text.severity(),
            text.title(),
            text.message(),
            text.tags(),
            text.owner(),
            body.key,
            body.start,
            body.end,
            detectedAt,
            body.events,
            body.dropped,
            false);
    return AlertFitting.fit(alert, limits.maxBytes());
  }
}
