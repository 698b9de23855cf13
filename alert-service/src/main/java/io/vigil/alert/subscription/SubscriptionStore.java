package io.vigil.alert.subscription;

import java.util.List;
import java.util.Optional;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Subscriptions live in one Redis hash, {@code vigil:subscriptions}: id → JSON. */
@Component
public class SubscriptionStore {
  static final String KEY = "vigil:subscriptions";

  private final StringRedisTemplate redis;
  private final JsonMapper mapper;

  public SubscriptionStore(StringRedisTemplate redis, JsonMapper mapper) {
    this.redis = redis;
    this.mapper = mapper;
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
    redis.opsForHash().put(KEY, subscription.id(), mapper.writeValueAsString(subscription));
  }

  public boolean delete(String id) {
    return redis.opsForHash().delete(KEY, id) > 0;
  }
}
