package io.vigil.console.audit;

import io.vigil.console.store.RedisJson;
import io.vigil.console.store.StoreProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.stereotype.Component;

/**
 * Every change made through the console, appended to the Redis Stream {@code <prefix>audit}
 * (append-only, ordered, trimmed to about {@link StoreProperties#auditMaxEntries()} entries).
 */
@Component
public class AuditLog {

  private final RedisJson store;
  private final Clock clock;
  private final long maxEntries;

  public AuditLog(RedisJson store, Clock clock, StoreProperties properties) {
    this.store = store;
    this.clock = clock;
    this.maxEntries = properties.auditMaxEntries();
  }

  public void record(String actor, String action, String target, String before, String after) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("at", clock.instant().toString());
    fields.put("actor", actor);
    fields.put("action", action);
    fields.put("target", target);
    fields.put("before", before);
    fields.put("after", after);
    String key = key();
    store.redis().opsForStream().add(StreamRecords.string(fields).withStreamKey(key));
    store.redis().opsForStream().trim(key, maxEntries, true);
  }

  /** The newest {@code count} entries, newest first. */
  public List<AuditEntry> latest(int count) {
    List<MapRecord<String, Object, Object>> records =
        store
            .redis()
            .opsForStream()
            .reverseRange(key(), Range.unbounded(), Limit.limit().count(count));
    return records == null ? List.of() : records.stream().map(AuditLog::entry).toList();
  }

  private static AuditEntry entry(MapRecord<String, Object, Object> record) {
    Map<Object, Object> f = record.getValue();
    return new AuditEntry(
        record.getId().getValue(),
        Instant.parse(text(f, "at")),
        text(f, "actor"),
        text(f, "action"),
        text(f, "target"),
        text(f, "before"),
        text(f, "after"));
  }

  private static String text(Map<Object, Object> fields, String name) {
    Object value = fields.get(name);
    return value == null ? "" : value.toString();
  }

  private String key() {
    return store.key("audit");
  }
}
