package io.vigil.console.store;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Items of one kind (rules, streams) whose every save is a new numbered version. Keys: {@code
 * <prefix><kind>s} (set of ids), {@code <prefix><kind>:<id>:seq} (last number, INCR) and {@code
 * <prefix><kind>:<id>:versions} (hash number → version JSON). INCR hands out each number once, so
 * two concurrent saves never overwrite each other.
 */
public final class VersionedItems {

  private final RedisJson store;
  private final String kind;
  private final Clock clock;

  public VersionedItems(RedisJson store, String kind, Clock clock) {
    this.store = store;
    this.kind = kind;
    this.clock = clock;
  }

  public List<String> ids() {
    return List.copyOf(new TreeSet<>(store.redis().opsForSet().members(store.key(kind + "s"))));
  }

  public boolean exists(String id) {
    return Boolean.TRUE.equals(store.redis().opsForSet().isMember(store.key(kind + "s"), id));
  }

  /** Every version, oldest first. */
  public List<Version> versions(String id) {
    return store.redis().<String, String>opsForHash().values(versionsKey(id)).stream()
        .map(text -> store.read(text, Version.class))
        .sorted(Comparator.comparingInt(Version::number))
        .toList();
  }

  /** Every version, newest first. */
  public List<Version> newestFirst(String id) {
    return versions(id).stream()
        .sorted(Comparator.comparingInt(Version::number).reversed())
        .toList();
  }

  public Optional<Version> version(String id, int number) {
    Object text = store.redis().opsForHash().get(versionsKey(id), Integer.toString(number));
    return Optional.ofNullable(text).map(t -> store.read((String) t, Version.class));
  }

  public Optional<Version> latest(String id) {
    String seq = store.redis().opsForValue().get(store.key(kind, id, "seq"));
    return seq == null ? Optional.empty() : version(id, Integer.parseInt(seq));
  }

  public Version save(String id, String source, String author, String comment) {
    long number = store.redis().opsForValue().increment(store.key(kind, id, "seq"));
    Version version = new Version((int) number, source, author, clock.instant(), comment);
    store.redis().opsForHash().put(versionsKey(id), Long.toString(number), store.write(version));
    store.redis().opsForSet().add(store.key(kind + "s"), id);
    return version;
  }

  /** Forgets the item and its versions; its numbers start again at 1 if it is created anew. */
  public void delete(String id) {
    store.redis().opsForSet().remove(store.key(kind + "s"), id);
    store.redis().delete(List.of(versionsKey(id), store.key(kind, id, "seq")));
  }

  private String versionsKey(String id) {
    return store.key(kind, id, "versions");
  }
}
