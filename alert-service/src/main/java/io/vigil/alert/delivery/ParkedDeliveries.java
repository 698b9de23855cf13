package io.vigil.alert.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Deliveries that left the schedule undelivered: {@code vigil:deliveries:parked} (all, by parked
 * time) and {@code vigil:deliveries:parked:{subscriptionId}} (one subscription's). Replaying puts a
 * delivery back on the schedule with a fresh set of attempts and a fresh retry horizon; its history
 * is kept.
 */
@Component
public class ParkedDeliveries {
  /** Deliveries replayed per script call, so that a large replay never blocks Redis for long. */
  private static final int BATCH = 500;

  private final StringRedisTemplate redis;
  private final DeliveryStore store;
  private final RedisScript<Long> replay = DeliveryStore.script("replay", Long.class);

  @SuppressWarnings("rawtypes")
  private final RedisScript<List> replayBulk = DeliveryStore.script("replay-bulk", List.class);

  public ParkedDeliveries(StringRedisTemplate redis, DeliveryStore store) {
    this.redis = redis;
    this.store = store;
  }

  /** Which parked deliveries a bulk replay takes; every part is optional. */
  public record Selection(
      Optional<String> subscriptionId, Optional<Instant> parkedFrom, Optional<Instant> parkedTo) {
    public static Selection subscription(String id) {
      return new Selection(Optional.of(id), Optional.empty(), Optional.empty());
    }
  }

  /** The oldest parked deliveries first. */
  public List<Delivery> list(Optional<String> subscriptionId, int limit) {
    String key = subscriptionId.map(DeliveryStore::parkedKey).orElse(DeliveryStore.PARKED);
    var ids = redis.opsForZSet().range(key, 0, limit - 1L);
    List<Delivery> out = new ArrayList<>();
    for (String id : ids == null ? List.<String>of() : ids) {
      store.load(id).ifPresent(out::add);
    }
    return out;
  }

  /** Puts one parked delivery back on the schedule; false if it was not parked. */
  public boolean replay(String id, Instant now) {
    Optional<Delivery> delivery = store.load(id);
    if (delivery.isEmpty()) {
      return false;
    }
    Long done =
        redis.execute(
            replay,
            List.of(
                DeliveryStore.deliveryKey(id),
                DeliveryStore.DUE,
                DeliveryStore.PARKED,
                DeliveryStore.parkedKey(delivery.get().subscriptionId())),
            id,
            Long.toString(now.toEpochMilli()),
            Integer.toString(delivery.get().attempts().size()));
    return done != null && done == 1L;
  }

  /**
   * Replays every parked delivery of the selection, in batches. With {@code skipPermanent},
   * deliveries parked after a permanent failure (a 4xx, a refused URL) stay parked: repeating them
   * cannot help, whatever the endpoint's health. Returns how many were replayed.
   */
  @SuppressWarnings("unchecked")
  public long replay(Selection selection, boolean skipPermanent, Instant now) {
    String key =
        selection.subscriptionId().map(DeliveryStore::parkedKey).orElse(DeliveryStore.PARKED);
    String min = selection.parkedFrom().map(t -> Long.toString(t.toEpochMilli())).orElse("-inf");
    String max = selection.parkedTo().map(t -> Long.toString(t.toEpochMilli())).orElse("+inf");
    long replayed = 0;
    long offset = 0;
    while (true) {
      List<Object> r =
          redis.execute(
              replayBulk,
              List.of(key, DeliveryStore.DUE, DeliveryStore.PARKED),
              min,
              max,
              Integer.toString(BATCH),
              skipPermanent ? "1" : "0",
              DeliveryStore.deliveryKey(""),
              DeliveryStore.PARKED_BY_SUBSCRIPTION,
              Long.toString(now.toEpochMilli()),
              Long.toString(offset));
      if (r == null || r.size() != 3) {
        return replayed;
      }
      replayed += ((Number) r.get(0)).longValue();
      offset += ((Number) r.get(1)).longValue();
      if (((Number) r.get(2)).longValue() < BATCH) {
        return replayed;
      }
    }
  }

  public long count() {
    Long n = redis.opsForZSet().zCard(DeliveryStore.PARKED);
    return n == null ? 0 : n;
  }
}
