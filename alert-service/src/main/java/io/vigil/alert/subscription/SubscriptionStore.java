package io.vigil.alert.subscription;

import io.vigil.alert.limits.LimitExceededException;
import io.vigil.alert.limits.LimitsProperties;
import io.vigil.alert.redis.VersionedHash;
import io.vigil.alert.secret.SecretCipher;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Subscriptions live in one Redis hash, {@code vigil:subscriptions}: id → JSON, with the webhook
 * secret encrypted ({@link SecretCipher}, the subscription id as context). Writes go through {@link
 * VersionedHash} so that the routing caches ({@code RoutingTable}) see them.
 */
@Component
public class SubscriptionStore {
  public static final String KEY = "vigil:subscriptions";

  private final StringRedisTemplate redis;
  private final JsonMapper mapper;
  private final VersionedHash writes;
  private final SecretCipher cipher;
  private final LimitsProperties limits;

  public SubscriptionStore(
      StringRedisTemplate redis,
      JsonMapper mapper,
      VersionedHash writes,
      SecretCipher cipher,
      LimitsProperties limits) {
    this.redis = redis;
    this.mapper = mapper;
    this.writes = writes;
    this.cipher = cipher;
    this.limits = limits;
  }

  /** A subscription as stored (secret decrypted). */
  public Subscription parse(String json) {
    Subscription stored = mapper.readValue(json, Subscription.class);
    if (stored.secret().isEmpty()) {
      return stored;
    }
    return withSecret(stored, cipher.decrypt(stored.secret(), stored.id()));
  }

  public List<Subscription> all() {
    return redis.<String, String>opsForHash().values(KEY).stream().map(this::parse).toList();
  }

  public Optional<Subscription> find(String id) {
    String json = redis.<String, String>opsForHash().get(KEY, id);
    return Optional.ofNullable(json).map(this::parse);
  }

  /**
   * Writes the subscription, its secret encrypted with the active key.
   *
   * @throws LimitExceededException if it is new and {@code vigil.limits.max-subscriptions} exist
   */
  public void save(Subscription subscription) {
    if (!writes.put(KEY, subscription.id(), stored(subscription), limits.maxSubscriptions())) {
      throw new LimitExceededException(
          "subscriptions", limits.maxSubscriptions(), "vigil.limits.max-subscriptions");
    }
  }

  public boolean delete(String id) {
    return writes.delete(KEY, id);
  }

  /**
   * Re-encrypts every secret stored in plaintext or under a key other than the active one (after a
   * key rotation). A subscription changed meanwhile is left alone: its writer encrypted it anew.
   * Returns how many were re-encrypted.
   */
  public int reencryptSecrets() {
    int n = 0;
    Map<String, String> raw = redis.<String, String>opsForHash().entries(KEY);
    for (Map.Entry<String, String> entry : raw.entrySet()) {
      Subscription stored = mapper.readValue(entry.getValue(), Subscription.class);
      if (stored.secret().isEmpty() || cipher.isCurrent(stored.secret())) {
        continue;
      }
      if (writes.replace(KEY, entry.getKey(), entry.getValue(), stored(parse(entry.getValue())))) {
        n++;
      }
    }
    return n;
  }

  private String stored(Subscription subscription) {
    Subscription sealed =
        subscription.secret().isEmpty()
            ? subscription
            : withSecret(subscription, cipher.encrypt(subscription.secret(), subscription.id()));
    return mapper.writeValueAsString(sealed);
  }

  private static Subscription withSecret(Subscription s, String secret) {
    return new Subscription(
        s.id(),
        s.name(),
        s.type(),
        s.enabled(),
        s.match(),
        s.minSeverity(),
        s.url(),
        secret,
        s.to(),
        s.grouping(),
        s.throttle(),
        s.createdAt(),
        s.updatedAt());
  }
}
