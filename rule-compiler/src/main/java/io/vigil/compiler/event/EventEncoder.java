package io.vigil.compiler.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.dsl.schema.StreamSchema;
import io.vigil.dsl.schema.Type;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an {@link Event} back as JSON in the shape {@link EventDecoder} reads: nested objects for
 * dotted paths, timestamps as ISO-8601 strings, decimals as exact JSON numbers, missing fields left
 * out. Used for the {@code events} section of alerts.
 */
public final class EventEncoder implements Serializable {

  private static final long serialVersionUID = 2L;

  private final List<StreamSchema.Field> fields;

  /** Each field's path split at its dots, in the order of {@link #fields}. */
  private final String[][] segments;

  public EventEncoder(StreamSchema schema) {
    this.fields = schema.fields();
    this.segments = new String[fields.size()][];
    for (int f = 0; f < fields.size(); f++) {
      segments[f] = fields.get(f).path().split("\\.");
    }
  }

  /**
   * The event as {@link #encode} writes it, read back as Java values the way Jackson reads JSON
   * with exact decimals: objects as {@link LinkedHashMap}s, integral numbers as {@link Long},
   * decimals and finite doubles as {@link BigDecimal}, times as ISO-8601 strings. Built directly,
   * without the JSON in between, once per event: the same event asked again (by this encoder or one
   * of the same fields) gives the same {@link EncodedEvent}, which must not be changed.
   */
  public Map<String, Object> toMap(Event event) {
    EncodedEvent made = event.encodedFor(this);
    if (made != null) {
      return made;
    }
    EncodedEvent root = new EncodedEvent();
    forEachValue(
        event,
        (path, type, value) -> {
          Map<String, Object> parent = root;
          for (int s = 0; s < path.length - 1; s++) {
            parent = child(parent, path[s]);
          }
          parent.put(path[path.length - 1], javaValue(type, value));
        });
    event.encoded(this, root);
    return root;
  }

  /** Whether {@code other} encodes events with the same fields (then into the same maps). */
  boolean sameFields(EventEncoder other) {
    return fields.equals(other.fields);
  }

  /** Receives each field the event has a value for, with its path split at its dots. */
  private interface FieldValue {
    void accept(String[] path, Type type, Object value);
  }

  private void forEachValue(Event event, FieldValue out) {
    for (int f = 0; f < fields.size(); f++) {
      StreamSchema.Field field = fields.get(f);
      Object value = field.index() < event.size() ? event.value(field.index()) : null;
      if (value != null) {
        out.accept(segments[f], field.type(), value);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> child(Map<String, Object> parent, String name) {
    if (parent.get(name) instanceof Map<?, ?> existing) {
      return (Map<String, Object>) existing;
    }
    Map<String, Object> created = new LinkedHashMap<>();
    parent.put(name, created);
    return created;
  }

  private static Object javaValue(Type type, Object value) {
    return switch (type) {
      case TIMESTAMP -> Instant.ofEpochMilli((Long) value).toString();
      case DECIMAL, BOOLEAN, INT, LONG -> value;
      case DOUBLE -> {
        double d = (Double) value;
        yield Double.isFinite(d) ? BigDecimal.valueOf(d) : value;
      }
      default -> value.toString();
    };
  }

  public ObjectNode encode(Event event) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    forEachValue(
        event,
        (path, type, value) -> {
          ObjectNode parent = root;
          for (int s = 0; s < path.length - 1; s++) {
            JsonNode child = parent.get(path[s]);
            parent = child instanceof ObjectNode o ? o : parent.putObject(path[s]);
          }
          String name = path[path.length - 1];
          switch (type) {
            case TIMESTAMP -> parent.put(name, Instant.ofEpochMilli((Long) value).toString());
            case DECIMAL -> parent.put(name, (BigDecimal) value);
            case DOUBLE -> parent.put(name, (Double) value);
            case INT, LONG -> parent.put(name, (Long) value);
            case BOOLEAN -> parent.put(name, (Boolean) value);
            default -> parent.put(name, value.toString());
          }
        });
    return root;
  }

  public String encodeToString(Event event) {
    return encode(event).toString();
  }
}
