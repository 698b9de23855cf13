package io.vigil.alert.subscription;

import io.vigil.alert.redis.VersionedHash;
import java.util.List;
import java.util.Optional;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Subscriptions live in one Redis hash, {@code vigil:subscriptions}: id → JSON. Writes go through
 * {@link VersionedHash} so that the routing caches ({@code RoutingTable}) see them.
 */
@Component
public class SubscriptionStore {
  public static final String KEY = "vigil:subscriptions";

  private final StringRedisTemplate redis;
  private final JsonMapper mapper;
  private final VersionedHash writes;

  public SubscriptionStore(StringRedisTemplate redis, JsonMapper mapper, VersionedHash writes) {
    this.redis = redis;
    this.mapper = mapper;
    this.writes = writes;
  }

  public Subscription parse(String json) {
    return mapper.readValue(json, Subscription.class);
  }

  public List<Subscription> all() {
    return redis.<String, String>opsForHash().values(KEY).stream()
        .map(json -> mapper.readValue(json, Subscription.class))
        .toList();
  }

  public Optional<Subscription> find(String id) {
    String json = redis.<String, String>opsForHash().get(KEY, id);
    return Optional.ofNullable(json).map(j -> mapper.readValue(j, Subscription.class));
  }

  public void save(Subscription subscription) {
    writes.put(KEY, subscription.id(), mapper.writeValueAsString(subscription));
  }

  public boolean delete(String id) {
    return writes.delete(KEY, id);
  }
}
