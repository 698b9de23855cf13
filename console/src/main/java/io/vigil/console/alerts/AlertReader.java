package io.vigil.console.alerts;

import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.alert.AlertJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/** Alerts as the alert service stored them in Redis (read only). */
@Component
public class AlertReader {

  /** How far back in {@code vigil:alerts} a filtered list looks. */
  static final int SCAN = 2000;

  private final StringRedisTemplate redis;
  private final Clock clock;

  public AlertReader(StringRedisTemplate redis, Clock clock) {
    this.redis = redis;
    this.clock = clock;
  }

  /** The newest alerts that match, newest first, at most {@code limit}. */
  public List<Alert> latest(AlertFilter filter, int limit) {
    List<MapRecord<String, Object, Object>> records =
        redis
            .opsForStream()
            .reverseRange(AlertKeys.ALERTS_STREAM, Range.unbounded(), Limit.limit().count(SCAN));
    List<Alert> out = new ArrayList<>();
    if (records == null) {
      return out;
    }
    for (MapRecord<String, Object, Object> record : records) {
      parse(record.getValue()).filter(filter::matches).ifPresent(out::add);
      if (out.size() >= limit) {
        break;
      }
    }
    return out;
  }

  public Optional<Alert> alert(String alertId) {
    return Optional.ofNullable(redis.opsForValue().get(AlertKeys.alert(alertId)))
        .flatMap(AlertReader::parse);
  }

  /** Alerts of a rule in the last 60 minutes, from the per-minute counters. */
  public long lastHour(String ruleId) {
    Instant now = clock.instant();
    long total = 0;
    for (int minute = 0; minute < 60; minute++) {
      Instant at = now.minus(Duration.ofMinutes(minute));
      Object count =
          redis.opsForHash().get(AlertKeys.ruleCounts(ruleId, at), AlertKeys.minuteField(at));
      if (count != null) {
        total += Long.parseLong(count.toString());
      }
    }
    return total;
  }

  /** When the rule's newest alert was detected. */
  public Optional<Instant> lastAlert(String ruleId) {
    List<MapRecord<String, Object, Object>> records =
        redis
            .opsForStream()
            .reverseRange(AlertKeys.ruleStream(ruleId), Range.unbounded(), Limit.limit().count(1));
    if (records == null || records.isEmpty()) {
      return Optional.empty();
    }
    Object detectedAt = records.get(0).getValue().get("detectedAt");
    return Optional.ofNullable(detectedAt).map(d -> parseInstant(d.toString()));
  }

  private static Instant parseInstant(String text) {
    return text.chars().allMatch(Character::isDigit)
        ? Instant.ofEpochMilli(Long.parseLong(text))
        : Instant.parse(text);
  }

  static Optional<Alert> parse(Map<Object, Object> fields) {
    Object json = fields.get("alert");
    return json == null ? Optional.empty() : parse(json.toString());
  }

  static Optional<Alert> parse(String json) {
    try {
      return Optional.of(AlertJson.read(json));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
