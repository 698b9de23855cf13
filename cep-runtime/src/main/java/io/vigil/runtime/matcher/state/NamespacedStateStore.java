package io.vigil.runtime.matcher.state;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.internal.InternalMapState;

/**
 * Gives one rule generation's {@link org.apache.flink.cep.nfa.sharedbuffer.SharedBuffer} its own
 * part of three map states that every rule shares ({@code vigil/buffer/…}): the generation's state
 * id is the state namespace.
 *
 * <p>Why not a state per rule: the buffer's descriptor names are constants, so each rule would need
 * renamed states, and the heap backend allocates every registered state a table per key group (128
 * by default) that stays registered, and is checkpointed, after the rule is gone. With 1000 rules
 * that was 3000 tables and about 250 MB of empty maps before the first event, and every rule update
 * added three more. Namespaces are what Flink's own windows use for the same need: one table, any
 * number of them, and {@code applyToAllKeys} clears one namespace on every key.
 */
public final class NamespacedStateStore extends MapStateOnlyStore {

  /** The prefix of the shared state names. */
  public static final String PREFIX = "vigil/buffer/";

  private final KeyedStateBackend<?> backend;
  private final String namespace;
  private final List<MapStateDescriptor<?, ?>> descriptors = new ArrayList<>();
  private final List<MapState<?, ?>> states = new ArrayList<>();
  private final java.util.Map<String, MapState<?, ?>> byName = new java.util.HashMap<>();

  public NamespacedStateStore(KeyedStateBackend<?> backend, String namespace) {
    this.backend = backend;
    this.namespace = namespace;
  }

  /** The descriptor of the state all namespaces share for {@code descriptor}. */
  public static <UK, UV> MapStateDescriptor<UK, UV> shared(MapStateDescriptor<UK, UV> descriptor) {
    return new MapStateDescriptor<>(
        PREFIX + descriptor.getName(),
        descriptor.getKeySerializer(),
        descriptor.getValueSerializer());
  }

  /** The shared states' descriptors handed out so far (the same for every namespace). */
  public List<MapStateDescriptor<?, ?>> descriptors() {
    return List.copyOf(descriptors);
  }

  /** This namespace's view of the state asked for under {@code name}. */
  public MapState<?, ?> view(String name) {
    MapState<?, ?> view = byName.get(name);
    if (view == null) {
      throw new IllegalArgumentException("no state " + name + " was asked for");
    }
    return view;
  }

  /** This namespace's views handed out so far. */
  public List<MapState<?, ?>> states() {
    return List.copyOf(states);
  }

  @Override
  public <UK, UV> MapState<UK, UV> getMapState(MapStateDescriptor<UK, UV> descriptor) {
    MapStateDescriptor<UK, UV> shared = shared(descriptor);
    InternalMapState<?, String, UK, UV> state;
    try {
      @SuppressWarnings("unchecked")
      InternalMapState<?, String, UK, UV> created =
          (InternalMapState<?, String, UK, UV>)
              backend.getOrCreateKeyedState(StringSerializer.INSTANCE, shared);
      state = created;
    } catch (Exception e) {
      throw new IllegalStateException("cannot create keyed state " + shared.getName(), e);
    }
    descriptors.add(shared);
    MapState<UK, UV> view = new View<>(state, namespace);
    states.add(view);
    byName.put(descriptor.getName(), view);
    return view;
  }

  /**
   * One namespace of a shared map state: each call first points the state at it (several buffers
   * use the same state object in turn). Like the map states Flink hands to user code, it answers an
   * empty iteration, not null, for a key without entries.
   */
  private static final class View<UK, UV> implements MapState<UK, UV> {
    private final InternalMapState<?, String, UK, UV> state;
    private final String namespace;

    View(InternalMapState<?, String, UK, UV> state, String namespace) {
      this.state = state;
      this.namespace = namespace;
    }

    private InternalMapState<?, String, UK, UV> here() {
      state.setCurrentNamespace(namespace);
      return state;
    }

    @Override
    public UV get(UK key) throws Exception {
      return here().get(key);
    }

    @Override
    public void put(UK key, UV value) throws Exception {
      here().put(key, value);
    }

    @Override
    public void putAll(Map<UK, UV> map) throws Exception {
      here().putAll(map);
    }

    @Override
    public void remove(UK key) throws Exception {
      here().remove(key);
    }

    @Override
    public boolean contains(UK key) throws Exception {
      return here().contains(key);
    }

    @Override
    public Iterable<Map.Entry<UK, UV>> entries() throws Exception {
      Iterable<Map.Entry<UK, UV>> entries = here().entries();
      return entries == null ? Collections.emptySet() : entries;
    }

    @Override
    public Iterable<UK> keys() throws Exception {
      Iterable<UK> keys = here().keys();
      return keys == null ? Collections.emptySet() : keys;
    }

    @Override
    public Iterable<UV> values() throws Exception {
      Iterable<UV> values = here().values();
      return values == null ? Collections.emptySet() : values;
    }

    @Override
    public Iterator<Map.Entry<UK, UV>> iterator() throws Exception {
      Iterator<Map.Entry<UK, UV>> iterator = here().iterator();
      return iterator == null ? Collections.emptyIterator() : iterator;
    }

    @Override
    public boolean isEmpty() throws Exception {
      return here().isEmpty();
    }

    @Override
    public void clear() {
      here().clear();
    }
  }

  @Override
  public String getBackendTypeIdentifier() {
    return "vigil-namespaced";
  }
}
