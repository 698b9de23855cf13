package io.vigil.runtime.matcher.state;

import java.lang.reflect.Field;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBuffer;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.shaded.guava33.com.google.common.cache.AbstractCache;
import org.apache.flink.shaded.guava33.com.google.common.cache.Cache;
import org.apache.flink.util.WrappingRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caches in front of a rule's {@link SharedBuffer}, by state backend.
 *
 * <p>Flink's buffer keeps its entries and events in two Guava LRU caches (1 024 slots each) and
 * writes them to keyed state when the accessor closes. On RocksDB that saves a deserialization per
 * read, and the caches stay. On heap state they save nothing (a state read returns the stored
 * object itself) and cost the most of the matcher's time: a recency-queue entry per read, a removal
 * notification per write, a {@code putAll} and a walk of the cache's tables at every flush. Even
 * with no slots every write still goes through Guava's eviction and listener (measured: no faster).
 * So on heap state the two caches are replaced by {@link PassThrough} caches over the buffer's own
 * map states: a read is one state read, a write one state write, a flush nothing. The buffer then
 * reads and writes exactly what it would through a cache of no slots (which Flink supports, {@code
 * CEPCacheOptions}), and a checkpoint sees the same state.
 *
 * <p>The caches are the buffer's private fields {@code entryCache} and {@code eventsBufferCache}
 * (Flink 2.2, pinned): should they ever be missing, the buffer keeps Flink's caches (logged once).
 */
public final class BufferCache {

  private static final Logger LOG = LoggerFactory.getLogger(BufferCache.class);

  /** The buffer's state names and the cache fields in front of them (SharedBuffer's constants). */
  static final String ENTRIES_STATE = "sharedBuffer-entries-with-lockable-edges";

  static final String EVENTS_STATE = "sharedBuffer-events";

  private BufferCache() {}

  /**
   * On heap state, puts pass-through caches in front of {@code buffer}'s states (its views in
   * {@code store}); on other backends leaves Flink's caches.
   *
   * @return whether the buffer now reads and writes its states directly
   */
  public static boolean bypassOnHeap(
      SharedBuffer<?> buffer, NamespacedStateStore store, KeyedStateBackend<?> backend) {
    if (!(backend instanceof HeapKeyedStateBackend<?>)) {
      return false;
    }
    try {
      replace(buffer, "entryCache", store.view(ENTRIES_STATE));
      replace(buffer, "eventsBufferCache", store.view(EVENTS_STATE));
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn(
          "Flink's shared buffer keeps its own caches (slower on heap state): {}", e.toString());
      return false;
    }
  }

  private static void replace(SharedBuffer<?> buffer, String field, MapState<?, ?> state)
      throws ReflectiveOperationException {
    Field f = SharedBuffer.class.getDeclaredField(field);
    if (!Cache.class.isAssignableFrom(f.getType())) {
      throw new NoSuchFieldException(field + " is no longer a Guava cache");
    }
    f.setAccessible(true);
    f.set(buffer, new PassThrough<>(state));
  }

  /**
   * A "cache" that holds nothing: reads and writes go to the state, so a flush has nothing to
   * write. The buffer uses it as it uses a cache of no slots: {@code getIfPresent} then a state
   * read (both the same read here), {@code put} after every change, {@code invalidate} before a
   * state removal.
   */
  static final class PassThrough<K, V> extends AbstractCache<K, V> {
    private final MapState<K, V> state;

    /** Always empty: the buffer asks it whether anything waits to be flushed. */
    private final ConcurrentMap<K, V> nothing = new ConcurrentHashMap<>(1);

    @SuppressWarnings("unchecked")
    PassThrough(MapState<?, ?> state) {
      this.state = (MapState<K, V>) state;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V getIfPresent(Object key) {
      try {
        return state.get((K) key);
      } catch (Exception e) {
        throw new WrappingRuntimeException(e);
      }
    }

    @Override
    public void put(K key, V value) {
      try {
        state.put(key, value);
      } catch (Exception e) {
        throw new WrappingRuntimeException(e);
      }
    }

    @Override
    public void invalidate(Object key) {
      // The buffer removes the state entry itself right after.
    }

    @Override
    public void invalidateAll() {}

    @Override
    public long size() {
      return 0;
    }

    @Override
    public ConcurrentMap<K, V> asMap() {
      return nothing;
    }
  }
}
