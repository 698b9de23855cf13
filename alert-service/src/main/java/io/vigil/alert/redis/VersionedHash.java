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

  /** Writes the field. */
  public void put(String hash, String field, String value) {
    put(hash, field, value, 0);
  }

  /**
   * Writes the field unless it is new and the hash already holds {@code maxFields} fields (0: no
   * cap), checked in the same atomic step. Returns false if it was refused.
   */
  public boolean put(String hash, String field, String value, int maxFields) {
    Long n =
        redis.execute(
            script,
            List.of(hash, RedisKeys.CONFIG_VERSION),
            newVersion(),
            field,
            "put",
            value,
            Integer.toString(maxFields));
    return n != null && n == 1L;
  }

  /** Writes the field only if it still holds {@code expected}; returns false otherwise. */
  public boolean replace(String hash, String field, String expected, String value) {
    Long n =
        redis.execute(
            script,
            List.of(hash, RedisKeys.CONFIG_VERSION),
            newVersion(),
            field,
            "replace",
            value,
            expected);
    return n != null && n == 1L;
  }

  /** Returns true if the field existed. */
  public boolean delete(String hash, String field) {
    Long n =
        redis.execute(
            script, List.of(hash, RedisKeys.CONFIG_VERSION), newVersion(), field, "delete", "", "");
    return n != null && n > 0;
  }

  /** Random rather than counted: see redis/versioned-hset.lua. */
  private String newVersion() {
    return UUID.randomUUID().toString();
  }
}
