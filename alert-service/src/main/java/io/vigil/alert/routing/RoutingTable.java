package io.vigil.alert.routing;

import io.vigil.alert.redis.RedisKeys;
import io.vigil.alert.silence.Silence;
import io.vigil.alert.silence.SilenceStore;
import io.vigil.alert.subscription.Subscription;
import io.vigil.alert.subscription.SubscriptionStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * A cache of the routing configuration, correct across instances: every API write sets {@code
 * vigil:config:version} to a new random token atomically with the change ({@code VersionedHash}),
 * and {@link #current()} (called once per intake batch and once per delivery poll) costs one {@code
 * GET} of that version, reloading everything in one atomic script only when it changed. So a batch
 * sees at least every change that completed before the batch started, the same guarantee a
 * per-alert read gave, for one round trip instead of a {@code HGETALL} and a JSON parse per alert.
 */
@Component
public class RoutingTable {
  private final StringRedisTemplate redis;
  private final SubscriptionStore subscriptionStore;
  private final SilenceStore silenceStore;
  private final long maxAgeNanos;

  @SuppressWarnings("rawtypes")
  private final RedisScript<List> load =
      RedisScript.of(new ClassPathResource("redis/routing-snapshot.lua"), List.class);

  private volatile RoutingSnapshot snapshot;

  public RoutingTable(
      StringRedisTemplate redis,
      SubscriptionStore subscriptionStore,
      SilenceStore silenceStore,
      RoutingProperties properties) {
    this.redis = redis;
    this.subscriptionStore = subscriptionStore;
    this.silenceStore = silenceStore;
    this.maxAgeNanos = properties.cacheMaxAge().toNanos();
  }

  /** The configuration as of now: reloaded if the version changed or the copy is too old. */
  public RoutingSnapshot current() {
    RoutingSnapshot cached = snapshot;
    if (cached != null && System.nanoTime() - cached.loadedAtNanos() < maxAgeNanos) {
      String version =
          Objects.requireNonNullElse(redis.opsForValue().get(RedisKeys.CONFIG_VERSION), "0");
      if (version.equals(cached.version())) {
        return cached;
      }
    }
    return reload();
  }

  @SuppressWarnings("unchecked")
  private synchronized RoutingSnapshot reload() {
    long started = System.nanoTime();
    List<Object> raw =
        redis.execute(
            load, List.of(RedisKeys.CONFIG_VERSION, SubscriptionStore.KEY, SilenceStore.KEY));
    if (raw == null || raw.size() < 2) {
      throw new IllegalStateException("routing snapshot script returned " + raw);
    }
    String version = String.valueOf(raw.get(0));
    int count = Integer.parseInt(String.valueOf(raw.get(1)));
    Map<String, Subscription> subscriptions = new HashMap<>();
    List<Silence> silences = new ArrayList<>();
    for (int i = 2; i < raw.size(); i++) {
      String json = String.valueOf(raw.get(i));
      if (i < 2 + count) {
        Subscription s = subscriptionStore.parse(json);
        subscriptions.put(s.id(), s);
      } else {
        silences.add(silenceStore.parse(json));
      }
    }
    RoutingSnapshot fresh = new RoutingSnapshot(version, subscriptions, silences, started);
    snapshot = fresh;
    return fresh;
  }
}
