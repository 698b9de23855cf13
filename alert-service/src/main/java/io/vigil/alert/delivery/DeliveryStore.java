package io.vigil.alert.delivery;

import io.vigil.alert.model.Alert;
import io.vigil.alert.subscription.Grouping;
import io.vigil.alert.subscription.Subscription;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations;
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
  public static final String DUE = "vigil:deliveries:due";
  static final String PARKED = "vigil:deliveries:parked";
  static final String PARKED_BY_SUBSCRIPTION = "vigil:deliveries:parked:";
  public static final String GROUPS_DUE = "vigil:groups:due";
  static final String RECENT_BY_SUBSCRIPTION = "vigil:deliveries:recent:";

  /** Attempted deliveries kept per subscription for its history. */
  public static final int RECENT_KEPT = 200;

  private static final TypeReference<List<Attempt>> ATTEMPTS = new TypeReference<>() {};

  private final StringRedisTemplate redis;
  private final JsonMapper mapper;
  private final DeliveryProperties properties;
  private final RedisScript<Long> flushGroup = script("flush-group", Long.class);

  @SuppressWarnings("rawtypes")
  private final RedisScript<List> claim = script("claim", List.class);

  private final RedisScript<Long> finish = script("finish", Long.class);
  private final RedisScript<Long> recordTest = script("record-test", Long.class);

  public DeliveryStore(
      StringRedisTemplate redis, JsonMapper mapper, DeliveryProperties properties) {
    this.redis = redis;
    this.mapper = mapper;
    this.properties = properties;
  }

  static <T> RedisScript<T> script(String name, Class<T> type) {
    return RedisScript.of(new ClassPathResource("redis/" + name + ".lua"), type);
  }

  static String deliveryKey(String id) {
    return "vigil:delivery:" + id;
  }

  /** The parked deliveries of one subscription: id → parked time (ms). */
  static String parkedKey(String subscriptionId) {
    return PARKED_BY_SUBSCRIPTION + subscriptionId;
  }

  /** The deliveries of one subscription attempted lately: id → last attempt time (ms). */
  static String recentKey(String subscriptionId) {
    return RECENT_BY_SUBSCRIPTION + subscriptionId;
  }

  /**
   * The subscription's deliveries whose last attempt is newest, newest first (at most {@code
   * limit}, at most {@link #RECENT_KEPT}); a delivered one whose record has expired is left out.
   */
  public List<Delivery> recent(String subscriptionId, int limit) {
    var ids = redis.opsForZSet().reverseRange(recentKey(subscriptionId), 0, limit - 1L);
    List<Delivery> out = new ArrayList<>();
    for (String id : ids == null ? Set.<String>of() : ids) {
      load(id).ifPresent(out::add);
    }
    return out;
  }

  /** Deterministic, so that the same (subscription, alert) always names the same delivery. */
  static String singleDeliveryId(String subscriptionId, String alertId) {
    return sha1(subscriptionId + "\n" + alertId);
  }

  /**
   * The keys and arguments of one notification (subscription, alert) for the batch intake script
   * ({@code redis/ingest-batch.lua}), which schedules, groups, throttles or ignores (duplicate) it
   * atomically with the rest of the batch.
   *
   * @param alertIndex 1-based position of the alert in the batch
   */
  public static Admission admission(Subscription s, Alert alert, int alertIndex) {
    String throttleKey = "vigil:throttle:" + s.id() + ":" + alert.ruleId() + ":" + alert.keyText();
    String groupKey = s.grouping().by() == Grouping.By.RULE ? alert.ruleId() : "*";
    String groupList = "vigil:group:" + s.id() + ":" + groupKey;
    String deliveryId = singleDeliveryId(s.id(), alert.alertId());
    return new Admission(
        List.of(
            "vigil:idem:" + s.id() + ":" + alert.alertId(),
            throttleKey,
            throttleKey + ":suppressed",
            deliveryKey(deliveryId),
            groupList,
            groupList + ":suppressed"),
        List.of(
            Integer.toString(alertIndex),
            Long.toString(s.throttle().toMillis()),
            Long.toString(s.grouping().enabled() ? s.grouping().window().toMillis() : 0),
            s.id(),
            alert.alertId(),
            s.id() + "|" + groupKey,
            deliveryId));
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

  /**
   * One claimed schedule entry; {@code delivery} is empty if its hash is gone (then the entry is
   * only to be forgotten).
   */
  public record Claimed(String id, Optional<Delivery> delivery) {}

  /**
   * Claims up to {@code limit} due deliveries for {@link DeliveryProperties#lease()} and returns
   * them loaded, in one script.
   */
  @SuppressWarnings("unchecked")
  public List<Claimed> claimDue(Instant now, int limit) {
    List<Object> raw =
        redis.execute(
            claim,
            List.of(DUE),
            Long.toString(now.toEpochMilli()),
            Long.toString(now.plus(properties.lease()).toEpochMilli()),
            Integer.toString(limit),
            deliveryKey(""));
    List<Claimed> out = new ArrayList<>();
    if (raw == null) {
      return out;
    }
    int i = 0;
    while (i < raw.size()) {
      String id = String.valueOf(raw.get(i++));
      int n = Integer.parseInt(String.valueOf(raw.get(i++)));
      Map<String, String> hash = new HashMap<>();
      for (int k = 0; k + 1 < n; k += 2) {
        hash.put(String.valueOf(raw.get(i + k)), String.valueOf(raw.get(i + k + 1)));
      }
      i += n;
      out.add(new Claimed(id, hash.isEmpty() ? Optional.empty() : Optional.of(parse(id, hash))));
    }
    return out;
  }

  public Optional<Delivery> load(String id) {
    Map<String, String> h = redis.<String, String>opsForHash().entries(deliveryKey(id));
    if (h.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(parse(id, h));
  }

  private Delivery parse(String id, Map<String, String> h) {
    Instant created = Instant.ofEpochMilli(Long.parseLong(h.getOrDefault("createdAt", "0")));
    String since = h.get("since");
    return new Delivery(
        id,
        h.get("subscriptionId"),
        h.get("idempotencyKey"),
        h.get("alerts"),
        Integer.parseInt(h.getOrDefault("suppressed", "0")),
        mapper.readValue(h.getOrDefault("attempts", "[]"), ATTEMPTS),
        Integer.parseInt(h.getOrDefault("attemptBase", "0")),
        DeliveryStatus.fromWire(h.getOrDefault("status", "pending")),
        created,
        since == null ? created : Instant.ofEpochMilli(Long.parseLong(since)),
        h.getOrDefault("parkNote", ""),
        "1".equals(h.get("test")));
  }

  /**
   * Keeps a test send (its one attempt, delivered or {@link DeliveryStatus#FAILED}) in the
   * subscription's history, marked as a test, for the delivery retention; it is never scheduled.
   */
  public void recordTest(Delivery test, Instant now) {
    if (!test.test()) {
      throw new IllegalArgumentException("not a test send: " + test.id());
    }
    redis.execute(
        recordTest,
        List.of(deliveryKey(test.id()), recentKey(test.subscriptionId())),
        test.id(),
        test.subscriptionId(),
        test.alertsJson(),
        test.status().wireName(),
        mapper.writeValueAsString(test.attempts()),
        Long.toString(now.toEpochMilli()),
        Long.toString(properties.retention().toMillis()),
        Integer.toString(RECENT_KEPT));
  }

  /**
   * Puts claimed deliveries that were not attempted (their endpoint was saturated) back on the
   * schedule at {@code due}, in one command; status and attempts are unchanged.
   */
  public void defer(List<String> ids, Instant due) {
    if (ids.isEmpty()) {
      return;
    }
    Set<ZSetOperations.TypedTuple<String>> entries = new HashSet<>();
    for (String id : ids) {
      entries.add(ZSetOperations.TypedTuple.of(id, (double) due.toEpochMilli()));
    }
    redis.opsForZSet().add(DUE, entries);
  }

  /**
   * Records the attempts and moves the delivery to {@code status} (not parked); due again at {@code
   * next}. Returns how many deliveries of its subscription are parked.
   */
  public long finish(
      Delivery delivery, DeliveryStatus status, List<Attempt> attempts, Instant next, Instant now) {
    if (status == DeliveryStatus.PARKED) {
      throw new IllegalArgumentException("use park() to park a delivery");
    }
    return run(delivery, status, attempts, next, now, "", "");
  }

  /** Records the attempts and parks the delivery with the reason. */
  public void park(
      Delivery delivery, List<Attempt> attempts, Instant now, ParkReason reason, String note) {
    run(delivery, DeliveryStatus.PARKED, attempts, now, now, reason.wireName(), note);
  }

  private long run(
      Delivery delivery,
      DeliveryStatus status,
      List<Attempt> attempts,
      Instant next,
      Instant now,
      String reason,
      String note) {
    Long parked =
        redis.execute(
            finish,
            List.of(
                deliveryKey(delivery.id()),
                DUE,
                PARKED,
                parkedKey(delivery.subscriptionId()),
                recentKey(delivery.subscriptionId())),
            delivery.id(),
            status.wireName(),
            mapper.writeValueAsString(attempts),
            Long.toString(next.toEpochMilli()),
            Long.toString(properties.retention().toMillis()),
            Long.toString(now.toEpochMilli()),
            reason,
            note,
            Integer.toString(RECENT_KEPT));
    return parked == null ? 0 : parked;
  }

  /** Drops a delivery whose subscription no longer exists. */
  public void forget(String id) {
    redis.opsForZSet().remove(DUE, id);
    redis.delete(deliveryKey(id));
  }

  public long dueCount() {
    Long n = redis.opsForZSet().zCard(DUE);
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
