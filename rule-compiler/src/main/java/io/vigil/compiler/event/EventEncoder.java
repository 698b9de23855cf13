package io.vigil.compiler.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.dsl.schema.StreamSchema;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Writes an {@link Event} back as JSON in the shape {@link EventDecoder} reads: nested objects for
 * dotted paths, timestamps as ISO-8601 strings, decimals as exact JSON numbers, missing fields left
 * out. Used for the {@code events} section of alerts.
 */
public final class EventEncoder implements Serializable {

  private static final long serialVersionUID = 1L;

  private final List<StreamSchema.Field> fields;

  public EventEncoder(StreamSchema schema) {
    this.fields = schema.fields();
  }

  public ObjectNode encode(Event event) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    for (StreamSchema.Field field : fields) {
      Object value = field.index() < event.size() ? event.value(field.index()) : null;
      if (value == null) {
        continue;
      }
      String[] segments = field.path().split("\\.");
      ObjectNode parent = root;
      for (int s = 0; s < segments.length - 1; s++) {
        JsonNode child = parent.get(segments[s]);
        parent = child instanceof ObjectNode o ? o : parent.putObject(segments[s]);
      }
      String name = segments[segments.length - 1];
      switch (field.type()) {
        case TIMESTAMP -> parent.put(name, Instant.ofEpochMilli((Long) value).toString());
        case DECIMAL -> parent.put(name, (BigDecimal) value);
        case DOUBLE -> parent.put(name, (Double) value);
        case INT, LONG -> parent.put(name, (Long) value);
        case BOOLEAN -> parent.put(name, (Boolean) value);
        default -> parent.put(name, value.toString());
      }
    }
    return root;
  }

  public String encodeToString(Event event) {
    return encode(event).toString();
  }
}
