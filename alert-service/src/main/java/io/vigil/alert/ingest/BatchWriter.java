package io.vigil.alert.ingest;

import io.vigil.alert.delivery.Admission;
import io.vigil.alert.delivery.AdmitResult;
import io.vigil.alert.delivery.DeliveryProperties;
import io.vigil.alert.delivery.DeliveryStore;
import io.vigil.alert.limits.LimitsProperties;
import io.vigil.alert.model.Alert;
import io.vigil.alert.redis.AlertStoreProperties;
import io.vigil.alert.redis.RedisKeys;
import io.vigil.alert.routing.Notification;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Writes one batch of alerts and their notifications with {@code redis/ingest-batch.lua}: the Redis
 * channel (global stream, per-rule stream, counters, pub/sub) and the delivery schedule in one
 * atomic script per batch.
 */
@Component
class BatchWriter {
  /** What the script did: per alert whether it was new, per notification its fate. */
  record Written(List<Boolean> stored, List<AdmitResult> admitted) {
    Written {
      stored = List.copyOf(stored);
      admitted = List.copyOf(admitted);
    }
  }

  private final StringRedisTemplate redis;
  private final AlertStoreProperties store;
  private final DeliveryProperties delivery;
  private final LimitsProperties limits;

  @SuppressWarnings("rawtypes")
  private final RedisScript<List> script =
      RedisScript.of(new ClassPathResource("redis/ingest-batch.lua"), List.class);

  BatchWriter(
      StringRedisTemplate redis,
      AlertStoreProperties store,
      DeliveryProperties delivery,
      LimitsProperties limits) {
    this.redis = redis;
    this.store = store;
    this.delivery = delivery;
    this.limits = limits;
  }

  /**
   * @param alertJsons the canonical JSON of each alert (same order as {@code alerts})
   */
  @SuppressWarnings("unchecked")
  Written write(
      List<Alert> alerts, List<String> alertJsons, List<Notification> notifications, Instant now) {
    List<String> keys = new ArrayList<>(4 + alerts.size() * 3 + notifications.size() * 6);
    keys.add(RedisKeys.ALERTS_STREAM);
    keys.add(RedisKeys.RULES);
    keys.add(DeliveryStore.DUE);
    keys.add(DeliveryStore.GROUPS_DUE);
    List<String> args = new ArrayList<>(10 + alerts.size() * 6 + notifications.size() * 7);
    args.add(Long.toString(store.alertTtl().toSeconds()));
    args.add(Long.toString(store.streamMaxLen()));
    args.add(Long.toString(store.ruleStreamMaxLen()));
    args.add(Long.toString(store.countersTtl().toSeconds()));
    args.add(RedisKeys.LIVE_CHANNEL);
    args.add(Long.toString(delivery.idempotencyTtl().toMillis()));
    args.add(Long.toString(now.toEpochMilli()));
    args.add(Integer.toString(alerts.size()));
    args.add(Integer.toString(notifications.size()));
    args.add(Integer.toString(limits.maxGroupAlerts()));
    for (int i = 0; i < alerts.size(); i++) {
      Alert alert = alerts.get(i);
      keys.add(RedisKeys.alert(alert.alertId()));
      keys.add(RedisKeys.ruleStream(alert.ruleId()));
      keys.add(RedisKeys.ruleCounts(alert.ruleId(), alert.detectedAt()));
      args.add(alertJsons.get(i));
      args.add(RedisKeys.minuteField(alert.detectedAt()));
      args.add(alert.alertId());
      args.add(alert.ruleId());
      args.add(alert.severity().wireName());
      args.add(alert.detectedAt().toString());
    }
    for (Notification n : notifications) {
      Admission a =
          DeliveryStore.admission(n.subscription(), alerts.get(n.alertIndex() - 1), n.alertIndex());
      keys.addAll(a.keys());
      args.addAll(a.args());
    }
    List<Object> raw = redis.execute(script, keys, args.toArray());
    int expected = alerts.size() + notifications.size();
    if (raw == null || raw.size() != expected) {
      throw new IllegalStateException(
          "ingest script returned "
              + (raw == null ? "nothing" : raw.size() + " results")
              + ", expected "
              + expected);
    }
    List<Boolean> stored = new ArrayList<>(alerts.size());
    for (int i = 0; i < alerts.size(); i++) {
      stored.add("1".equals(String.valueOf(raw.get(i))));
    }
    List<AdmitResult> admitted = new ArrayList<>(notifications.size());
    for (int j = 0; j < notifications.size(); j++) {
      admitted.add(AdmitResult.fromScript(String.valueOf(raw.get(alerts.size() + j))));
    }
    return new Written(stored, admitted);
  }
}
