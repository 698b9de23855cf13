package io.vigil.console.store;

import java.util.Optional;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's view of Redis: its own key space ({@link StoreProperties#keyPrefix()}) and one JSON
 * mapping for every value it keeps there.
 */
@Component
public class RedisJson {

  private final StringRedisTemplate redis;
  private final JsonMapper json;
  private final String prefix;

  public RedisJson(StringRedisTemplate redis, JsonMapper json, StoreProperties properties) {
    this.redis = redis;
    this.json = json;
    this.prefix = properties.keyPrefix();
  }

  /** {@code prefix + parts joined by ':'}. */
  public String key(String... parts) {
    return prefix + String.join(":", parts);
  }

  public StringRedisTemplate redis() {
    return redis;
  }

  public String write(Object value) {
    return json.writeValueAsString(value);
  }

  public <T> T read(String text, Class<T> type) {
    return json.readValue(text, type);
  }

  public <T> Optional<T> get(String key, Class<T> type) {
    return Optional.ofNullable(redis.opsForValue().get(key)).map(text -> read(text, type));
  }

  public void set(String key, Object value) {
    redis.opsForValue().set(key, write(value));
  }
}
