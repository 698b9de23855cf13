package io.vigil.alert;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/** Builds alert JSON as the CEP runtime writes it. */
public final class Alerts {
  private Alerts() {}

  public static String newId() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong())
        + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  }

  public static String uniqueRule(String base) {
    return base + "_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  }

  public static String json(
      String alertId,
      String ruleId,
      String severity,
      List<String> tags,
      String owner,
      Map<String, String> key) {
    return json(alertId, ruleId, severity, tags, owner, key, Instant.now());
  }

  /** An alert whose start, end and detection time are all {@code at}. */
  public static String json(
      String alertId,
      String ruleId,
      String severity,
      List<String> tags,
      String owner,
      Map<String, String> key,
      Instant at) {
    String now = at.toString();
    String tagJson = tags.stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(","));
    String keyJson =
        key.entrySet().stream()
            .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
            .collect(Collectors.joining(","));
    return """
        {"alertId":"%s","ruleId":"%s","ruleVersion":3,"kind":"MATCH","severity":"%s",
         "title":"Card testing on %s","message":"5 small payments in 2 minutes","tags":[%s],
         "owner":%s,"key":{%s},"startTime":"%s","endTime":"%s","detectedAt":"%s",
         "events":{"small":[{"amount":1.5,"cardId":"c-1"}],"big":[{"amount":900}]}}
        """
        .formatted(
            alertId,
            ruleId,
            severity,
            ruleId,
            tagJson,
            owner == null ? "null" : "\"" + owner + "\"",
            keyJson,
            now,
            now,
            now);
  }

  public static String simple(String alertId, String ruleId) {
    return json(alertId, ruleId, "high", List.of("fraud"), "team-x", Map.of("cardId", "c-1"));
  }
}
