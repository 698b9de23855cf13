package io.vigil.runtime.source;

import io.vigil.compiler.event.DecodingLimits;
import io.vigil.compiler.event.EventDecoder;
import io.vigil.dsl.schema.StreamSchema;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The decoder of each stream's events for its current schema, made once per schema: a re-declared
 * stream gets a new one. Made on the task that decodes (the decoders are not serializable).
 */
final class StreamDecoders implements Serializable {

  private static final long serialVersionUID = 1L;

  private final DecodingLimits limits;
  private transient Map<String, Map.Entry<StreamSchema, EventDecoder>> decoders;

  StreamDecoders(DecodingLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  EventDecoder decoder(String stream, StreamSchema schema) {
    if (decoders == null) {
      decoders = new HashMap<>();
    }
    Map.Entry<StreamSchema, EventDecoder> cached = decoders.get(stream);
    if (cached == null || !cached.getKey().equals(schema)) {
      cached = Map.entry(schema, new EventDecoder(schema, limits));
      decoders.put(stream, cached);
    }
    return cached.getValue();
  }

  DecodingLimits limits() {
    return limits;
  }
}
