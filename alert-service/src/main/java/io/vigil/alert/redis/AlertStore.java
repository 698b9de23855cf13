package io.vigil.alert.redis;

import io.vigil.alert.model.Alert;
import io.vigil.alert.model.AlertJson;
import java.util.List;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * The Redis channel: every alert goes to the global stream, its rule's stream, the per-minute
 * counters and the live pub/sub channel. One Lua script does all of it so that a crash can never
 * leave half of these effects, and a redelivered alert (at-least-once input) changes nothing.
 */
@Component
public class AlertStore {
  private final StringRedisTemplate redis;
  private final AlertJson json;
  private final AlertStoreProperties properties;
  private final RedisScript<Long> script =
      RedisScript.of(new ClassPathResource("redis/store-alert.lua"), Long.class);

  public AlertStore(StringRedisTemplate redis, AlertJson json, AlertStoreProperties properties) {
    this.redis = redis;
    this.json = json;
    this.properties = properties;
  }

  /** Returns true if the alert was new, false if it had been stored before. */
  public boolean store(Alert alert) {
    Long added =
        redis.execute(
            script,
            List.of(
                RedisKeys.alert(alert.alertId()),
                RedisKeys.ALERTS_STREAM,
                RedisKeys.ruleStream(alert.ruleId()),
                RedisKeys.ruleCounts(alert.ruleId(), alert.detectedAt()),
                RedisKeys.RULES),
            json.encode(alert),
            Long.toString(properties.alertTtl().toSeconds()),
            Long.toString(properties.streamMaxLen()),
            Long.toString(properties.ruleStreamMaxLen()),
            RedisKeys.minuteField(alert.detectedAt()),
            Long.toString(properties.countersTtl().toSeconds()),
            RedisKeys.LIVE_CHANNEL,
            alert.alertId(),
            alert.ruleId(),
            alert.severity().wireName(),
            alert.detectedAt().toString());
    return added != null && added == 1L;
  }
}
