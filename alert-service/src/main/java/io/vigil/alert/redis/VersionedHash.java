package io.vigil.alert.redis;

import java.util.List;
import java.util.UUID;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Writes to the configuration hashes (subscriptions, silences). Every write also sets {@link
 * RedisKeys#CONFIG_VERSION} to a new random token in the same script: the intake and the delivery
 * worker cache the configuration and compare that version once per batch, so a change made through
 * any instance's API is seen by every instance at its next batch, and a crash cannot leave a write
 * without its new version.
 */
@Component
public class VersionedHash {
  private final StringRedisTemplate redis;
  private final RedisScript<Long> script =
      RedisScript.of(new ClassPathResource("redis/versioned-hset.lua"), Long.class);

  public VersionedHash(StringRedisTemplate redis) {
    this.redis = redis;
  }

  public void put(String hash, String field, String value) {
    redis.execute(script, List.of(hash, RedisKeys.CONFIG_VERSION), newVersion(), field, value);
  }

  /** Returns true if the field existed. */
  public boolean delete(String hash, String field) {
    Long n = redis.execute(script, List.of(hash, RedisKeys.CONFIG_VERSION), newVersion(), field);
    return n != null && n > 0;
  }

  /** Random rather than counted: see redis/versioned-hset.lua. */
  private String newVersion() {
    return UUID.randomUUID().toString();
  }
}
