package io.vigil.dsl.check;

import io.vigil.dsl.schema.Type;
import java.util.Map;

/**
 * One field of a rule's partition key: its path, its type, and its index in each stream the rule
 * reads (the same path may sit at different indexes in different streams).
 */
public record PartitionKey(String path, Type type, Map<String, Integer> indexByStream) {

  public PartitionKey {
    indexByStream = Map.copyOf(indexByStream);
  }

  public int indexIn(String stream) {
    Integer index = indexByStream.get(stream);
    if (index == null) {
      throw new IllegalArgumentException("stream " + stream + " has no field " + path);
    }
    return index;
  }
}
