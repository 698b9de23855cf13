package io.vigil.console.alerts;

import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.alert.AlertJson;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Writes alerts into Redis in the alert service's documented layout (docs/alerts.md, "Redis keys
 * (read by the console)"), the contract the console reads.
 */
public final class StoredAlerts {

  private StoredAlerts() {}

  public static Alert alert(String id, String ruleId, String severity, String card, Instant at) {
    return new Alert(
        id,
        ruleId,
        3,
        Alert.Kind.MATCH,
        severity,
        "Title",
        "Card " + card + ": two large payments",
        List.of("fraud"),
        Optional.of("fraud_team"),
        Map.of("cardId", card),
        at.toEpochMilli() - 60_000,
        at.toEpochMilli(),
        at.toEpochMilli(),
        Map.of(
            "first", List.of(Map.of("eventId", "p-1", "amount", 900)),
            "second", List.of(Map.of("eventId", "p-2", "amount", 950))),
        Map.of(),
        false);
  }

  public static void store(StringRedisTemplate redis, Alert alert) {
    String json = AlertJson.write(alert);
    Instant at = Instant.ofEpochMilli(alert.detectedAt());
    var id =
        redis
            .opsForStream()
            .add(
                AlertKeys.ALERTS_STREAM,
                Map.of(
                    "alertId", alert.alertId(),
                    "ruleId", alert.ruleId(),
                    "severity", alert.severity(),
                    "detectedAt", at.toString(),
                    "alert", json));
    redis
        .opsForStream()
        .add(
            AlertKeys.ruleStream(alert.ruleId()),
            Map.of(
                "alertId", alert.alertId(),
                "severity", alert.severity(),
                "detectedAt", at.toString(),
                "streamId", id.getValue()));
    redis.opsForValue().set(AlertKeys.alert(alert.alertId()), json);
    redis.opsForSet().add(AlertKeys.RULES, alert.ruleId());
    redis
        .opsForHash()
        .increment(AlertKeys.ruleCounts(alert.ruleId(), at), AlertKeys.minuteField(at), 1);
  }

  public static void publishLive(StringRedisTemplate redis, Alert alert) {
    redis.convertAndSend(AlertKeys.LIVE_CHANNEL, AlertJson.write(alert));
  }
}
