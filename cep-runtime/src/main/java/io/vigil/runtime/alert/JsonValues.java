package io.vigil.runtime.alert;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.compiler.event.EncodedEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the values of an alert (key values, encoded events, counts) straight to a generator, in
 * one of two forms. As held: decimals with their scale, as the event had them ({@code 10.00}).
 * Canonical, the form alert ids hash: decimals and finite doubles without trailing zeros ({@code
 * 10.00} → {@code 1E+1}), as Jackson's tree holds them, which is how ids were always computed; a
 * replay on a newer build gives the same ids. What is neither a JSON-native Java type nor a map or
 * list goes through the mapper's tree in both forms. An event's fields ({@link EncodedEvent}) are
 * written in place in their first alert; from the second on they are rendered once per form and
 * copied into each: there is one writer of each form ({@link AlertJson}).
 */
final class JsonValues {

  private final ObjectMapper mapper;
  private final boolean canonical;

  /**
   * The mapper's factory with buffers of its own: an event is rendered while the alert's generator
   * holds the thread's buffers, so with those every rendering allocated its own.
   */
  private final JsonFactory renderings;

  private JsonValues(ObjectMapper mapper, boolean canonical) {
    this.mapper = mapper;
    this.canonical = canonical;
    this.renderings = mapper.getFactory().copy();
    renderings.setRecyclerPool(JsonRecyclerPools.newConcurrentDequePool());
    renderings.setCodec(mapper);
  }

  /** Decimals with their scale; {@code mapper} must keep trailing zeros in its trees. */
  static JsonValues asHeld(ObjectMapper mapper) {
    return new JsonValues(mapper, false);
  }

  /** The form of alert ids: decimals and doubles as decimals without trailing zeros. */
  static JsonValues canonical(ObjectMapper mapper) {
    return new JsonValues(mapper, true);
  }

  void write(JsonGenerator g, Object value) throws IOException {
    if (value == null) {
      g.writeNull();
    } else if (value instanceof String s) {
      g.writeString(s);
    } else if (value instanceof Long l) {
      g.writeNumber(l);
    } else if (value instanceof Integer i) {
      g.writeNumber(i);
    } else if (value instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (value instanceof BigDecimal d) {
      g.writeNumber(canonical ? normalized(d) : d);
    } else if (value instanceof Double d && Double.isFinite(d)) {
      BigDecimal decimal = BigDecimal.valueOf(d);
      g.writeNumber(canonical ? normalized(decimal) : decimal);
    } else if (value instanceof EncodedEvent event) {
      // The same event is in many alerts (overlapping matches, a family's members): from its
      // second alert on, its JSON in this form is written once and copied into each.
      Optional<String> reused = event.reused(canonical ? 1 : 0, this::rendered);
      if (reused.isPresent()) {
        g.writeRawValue(reused.get());
      } else {
        writeMap(g, event);
      }
    } else if (value instanceof Map<?, ?> map) {
      writeMap(g, map);
    } else if (value instanceof List<?> list) {
      g.writeStartArray();
      for (Object element : list) {
        write(g, element);
      }
      g.writeEndArray();
    } else {
      g.writeTree(mapper.valueToTree(value));
    }
  }

  private void writeMap(JsonGenerator g, Map<?, ?> map) throws IOException {
    g.writeStartObject();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      g.writeFieldName(String.valueOf(e.getKey()));
      write(g, e.getValue());
    }
    g.writeEndObject();
  }

  /** {@code event} as {@link #write} writes a map, on its own. */
  private String rendered(EncodedEvent event) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = renderings.createGenerator(out)) {
      writeMap(g, event);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** As Jackson's tree holds a decimal read from a buffer: no trailing zeros, zero as {@code 0}. */
  private static BigDecimal normalized(BigDecimal d) {
    return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
  }
}
