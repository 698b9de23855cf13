package io.vigil.alert.delivery;

import io.vigil.alert.model.Alert;
import io.vigil.alert.subscription.Grouping;
import io.vigil.alert.subscription.Subscription;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The durable delivery schedule in Redis. Every state change is one Lua script, so the schedule is
 * consistent at any crash point. Key names are documented in docs/alerts.md.
 */
@Component
public class DeliveryStore {
  static final String DUE = "vigil:deliveries:due";
  static final String PARKED = "vigil:deliveries:parked";
  static final String GROUPS_DUE = "vigil:groups:due";

  private static final TypeReference<List<Attempt>> ATTEMPTS = new TypeReference<>() {};

  private final StringRedisTemplate redis;
  private final JsonMapper mapper;
  private final DeliveryProperties properties;
  private final RedisScript<String> admit = script("admit", String.class);
  private final RedisScript<Long> flushGroup = script("flush-group", Long.class);

  @SuppressWarnings("rawtypes")
  private final RedisScript<List> claim = script("claim", List.class);

  private final RedisScript<Long> finish = script("finish", Long.class);
  private final RedisScript<Long> replay = script("replay", Long.class);

  public DeliveryStore(
      StringRedisTemplate redis, JsonMapper mapper, DeliveryProperties properties) {
    this.redis = redis;
    this.mapper = mapper;
    this.properties = properties;
  }

  private static <T> RedisScript<T> script(String name, Class<T> type) {
    return RedisScript.of(new ClassPathResource("redis/" + name + ".lua"), type);
  }

  static String deliveryKey(String id) {
    return "vigil:delivery:" + id;
  }

  /** Deterministic, so that the same (subscription, alert) always names the same delivery. */
  static String singleDeliveryId(String subscriptionId, String alertId) {
    return sha1(subscriptionId + "\n" + alertId);
  }

  /**
   * Schedules, groups, throttles or ignores (duplicate) one notification, atomically.
   *
   * @param alertJson the alert's canonical JSON
   */
  public AdmitResult admit(Subscription s, Alert alert, String alertJson, Instant now) {
    String throttleKey = "vigil:throttle:" + s.id() + ":" + alert.ruleId() + ":" + alert.keyText();
    String groupKey = s.grouping().by() == Grouping.By.RULE ? alert.ruleId() : "*";
    String groupList = "vigil:group:" + s.id() + ":" + groupKey;
    String deliveryId = singleDeliveryId(s.id(), alert.alertId());
    String result =
        redis.execute(
            admit,
            List.of(
                "vigil:idem:" + s.id() + ":" + alert.alertId(),
                throttleKey,
                throttleKey + ":suppressed",
                deliveryKey(deliveryId),
                DUE,
                groupList,
                GROUPS_DUE,
                groupList + ":suppressed"),
            Long.toString(properties.idempotencyTtl().toMillis()),
            Long.toString(s.throttle().toMillis()),
            Long.toString(s.grouping().enabled() ? s.grouping().window().toMillis() : 0),
            Long.toString(now.toEpochMilli()),
            alertJson,
            s.id(),
            alert.alertId(),
            s.id() + "|" + groupKey,
            deliveryId);
    return AdmitResult.fromScript(result);
  }

  /** Turns every group whose window has closed into one delivery. Returns how many. */
  public int flushDueGroups(Instant now) {
    var due =
        redis.opsForZSet().rangeByScore(GROUPS_DUE, Double.NEGATIVE_INFINITY, now.toEpochMilli());
    int flushed = 0;
    for (String member : due == null ? List.<String>of() : due) {
      int bar = member.indexOf('|');
      String subscriptionId = member.substring(0, bar);
      String groupList = "vigil:group:" + subscriptionId + ":" + member.substring(bar + 1);
      String deliveryId = "g" + sha1(member + "\n" + now.toEpochMilli());
      Long n =
          redis.execute(
              flushGroup,
              List.of(
                  GROUPS_DUE, groupList, groupList + ":suppressed", deliveryKey(deliveryId), DUE),
              member,
              Long.toString(now.toEpochMilli()),
              deliveryId,
              subscriptionId);
      if (n != null && n > 0) {
        flushed++;
      }
    }
    return flushed;
  }

  /** Claims up to {@code limit} due deliveries for {@link DeliveryProperties#lease()}. */
  @SuppressWarnings("unchecked")
  public List<String> claimDue(Instant now, int limit) {
    List<String> ids =
        redis.execute(
            claim,
            List.of(DUE),
            Long.toString(now.toEpochMilli()),
            Long.toString(now.plus(properties.lease()).toEpochMilli()),
            Integer.toString(limit));
    return ids == null ? List.of() : ids;
  }

  public Optional<Delivery> load(String id) {
    Map<String, String> h = redis.<String, String>opsForHash().entries(deliveryKey(id));
    if (h.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Delivery(
            id,
            h.get("subscriptionId"),
            h.get("idempotencyKey"),
            h.get("alerts"),
            Integer.parseInt(h.getOrDefault("suppressed", "0")),
            mapper.readValue(h.getOrDefault("attempts", "[]"), ATTEMPTS),
            Integer.parseInt(h.getOrDefault("attemptBase", "0")),
            DeliveryStatus.fromWire(h.getOrDefault("status", "pending")),
            Instant.ofEpochMilli(Long.parseLong(h.getOrDefault("createdAt", "0")))));
  }

  /** Records the attempts and moves the delivery to {@code status}; due again at {@code next}. */
  public void finish(
      Delivery delivery, DeliveryStatus status, List<Attempt> attempts, Instant next, Instant now) {
    redis.execute(
        finish,
        List.of(deliveryKey(delivery.id()), DUE, PARKED),
        delivery.id(),
        status.wireName(),
        mapper.writeValueAsString(attempts),
        Long.toString(next.toEpochMilli()),
        Long.toString(properties.retention().toMillis()),
        Long.toString(now.toEpochMilli()));
  }

  /** Drops a delivery whose subscription no longer exists. */
  public void forget(String id) {
    redis.opsForZSet().remove(DUE, id);
    redis.delete(deliveryKey(id));
  }

  public List<Delivery> parked(int limit) {
    var ids = redis.opsForZSet().range(PARKED, 0, limit - 1L);
    List<Delivery> out = new ArrayList<>();
    for (String id : ids == null ? List.<String>of() : ids) {
      load(id).ifPresent(out::add);
    }
    return out;
  }

  /** Puts a parked delivery back on the schedule; false if it was not parked. */
  public boolean replay(String id, Instant now) {
    Optional<Delivery> delivery = load(id);
    if (delivery.isEmpty()) {
      return false;
    }
    Long done =
        redis.execute(
            replay,
            List.of(deliveryKey(id), DUE, PARKED),
            id,
            Long.toString(now.toEpochMilli()),
            Integer.toString(delivery.get().attempts().size()));
    return done != null && done == 1L;
  }

  public long dueCount() {
    Long n = redis.opsForZSet().zCard(DUE);
    return n == null ? 0 : n;
  }

  public long parkedCount() {
    Long n = redis.opsForZSet().zCard(PARKED);
    return n == null ? 0 : n;
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }
}
