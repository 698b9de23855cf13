package io.vigil.alert.silence;

import io.vigil.alert.limits.LimitExceededException;
import io.vigil.alert.limits.LimitsProperties;
import io.vigil.alert.redis.VersionedHash;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Silences live in the Redis hash {@code vigil:silences}: id → JSON; expired ones are pruned when
 * listed. Writes go through {@link VersionedHash} so that the routing caches see them; the intake
 * reads silences from that cache ({@code RoutingTable}), not from here.
 */
@Component
public class SilenceStore {
  public static final String KEY = "vigil:silences";

  private final StringRedisTemplate redis;
  private final JsonMapper mapper;
  private final Clock clock;
  private final VersionedHash writes;
  private final LimitsProperties limits;

  public SilenceStore(
      StringRedisTemplate redis,
      JsonMapper mapper,
      Clock clock,
      VersionedHash writes,
      LimitsProperties limits) {
    this.redis = redis;
    this.mapper = mapper;
    this.clock = clock;
    this.writes = writes;
    this.limits = limits;
  }

  public Silence parse(String json) {
    return mapper.readValue(json, Silence.class);
  }

  public Silence create(SilenceRequest request) {
    Instant now = clock.instant();
    if (!request.endsAt().isAfter(now)) {
      throw new IllegalArgumentException("endsAt must be in the future");
    }
    String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    Silence silence =
        new Silence(
            id,
            request.match(),
            request.startsAt() == null ? now : request.startsAt(),
            request.endsAt(),
            request.comment(),
            now);
    String json = mapper.writeValueAsString(silence);
    int cap = limits.maxSilences();
    if (!writes.put(KEY, id, json, cap)) {
      all(); // prunes the expired ones, which do not count against the cap
      if (!writes.put(KEY, id, json, cap)) {
        throw new LimitExceededException("active silences", cap, "vigil.limits.max-silences");
      }
    }
    return silence;
  }

  public List<Silence> all() {
    Instant now = clock.instant();
    List<Silence> all =
        redis.<String, String>opsForHash().values(KEY).stream()
            .map(json -> mapper.readValue(json, Silence.class))
            .toList();
    all.stream().filter(s -> s.expired(now)).forEach(s -> writes.delete(KEY, s.id()));
    return all.stream().filter(s -> !s.expired(now)).toList();
  }

  public boolean delete(String id) {
    return writes.delete(KEY, id);
  }
}
