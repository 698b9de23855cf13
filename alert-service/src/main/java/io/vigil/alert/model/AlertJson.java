package io.vigil.alert.model;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The single JSON mapping of {@link Alert}. Decoding checks every field by hand rather than by data
 * binding so that a malformed record is rejected with a reason that names the field; that reason
 * goes to the dead-letter topic and must let the runtime's authors find their bug.
 */
public final class AlertJson {
  private final JsonMapper mapper;

  public AlertJson(JsonMapper mapper) {
    this.mapper = mapper;
  }

  public Alert decode(String json) {
    JsonNode root;
    try {
      root = mapper.readTree(json);
    } catch (JacksonException e) {
      throw new MalformedAlertException("not JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new MalformedAlertException("not a JSON object");
    }
    return new Alert(
        text(root, "alertId"),
        text(root, "ruleId"),
        integer(root, "ruleVersion"),
        enumValue(root, "kind", v -> AlertKind.valueOf(v)),
        enumValue(root, "severity", Severity::fromWire),
        text(root, "title"),
        optionalText(root, "message").orElse(""),
        stringList(root, "tags"),
        optionalText(root, "owner"),
        stringMap(root, "key"),
        instant(root, "startTime"),
        instant(root, "endTime"),
        instant(root, "detectedAt"),
        events(root));
  }

  public ObjectNode toTree(Alert alert) {
    ObjectNode node = mapper.createObjectNode();
    node.put("alertId", alert.alertId());
    node.put("ruleId", alert.ruleId());
    node.put("ruleVersion", alert.ruleVersion());
    node.put("kind", alert.kind().name());
    node.put("severity", alert.severity().wireName());
    node.put("title", alert.title());
    node.put("message", alert.message());
    ArrayNode tags = node.putArray("tags");
    alert.tags().forEach(tags::add);
    alert.owner().ifPresentOrElse(o -> node.put("owner", o), () -> node.putNull("owner"));
    ObjectNode key = node.putObject("key");
    alert.key().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> key.put(e.getKey(), e.getValue()));
    node.put("startTime", alert.startTime().toString());
    node.put("endTime", alert.endTime().toString());
    node.put("detectedAt", alert.detectedAt().toString());
    ObjectNode events = node.putObject("events");
    alert.events().forEach((stage, list) -> events.putArray(stage).addAll(list));
    return node;
  }

  public String encode(Alert alert) {
    return mapper.writeValueAsString(toTree(alert));
  }

  private static JsonNode required(JsonNode root, String field) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      throw new MalformedAlertException("missing field '" + field + "'");
    }
    return value;
  }

  private static String text(JsonNode root, String field) {
    JsonNode value = required(root, field);
    if (!value.isString() || value.stringValue().isBlank()) {
      throw new MalformedAlertException("field '" + field + "' must be a non-empty string");
    }
    return value.stringValue();
  }

  private static Optional<String> optionalText(JsonNode root, String field) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isString()) {
      throw new MalformedAlertException("field '" + field + "' must be a string or null");
    }
    return Optional.of(value.stringValue());
  }

  private static int integer(JsonNode root, String field) {
    JsonNode value = required(root, field);
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new MalformedAlertException("field '" + field + "' must be an integer");
    }
    return value.intValue();
  }

  private static <E> E enumValue(
      JsonNode root, String field, java.util.function.Function<String, E> parse) {
    String value = text(root, field);
    try {
      return parse.apply(value);
    } catch (IllegalArgumentException e) {
      throw new MalformedAlertException("field '" + field + "' has unknown value '" + value + "'");
    }
  }

  private static Instant instant(JsonNode root, String field) {
    String value = text(root, field);
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new MalformedAlertException(
          "field '" + field + "' is not an ISO-8601 instant: '" + value + "'");
    }
  }

  private static List<String> stringList(JsonNode root, String field) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw new MalformedAlertException("field '" + field + "' must be an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isString()) {
        throw new MalformedAlertException("field '" + field + "' must be an array of strings");
      }
      out.add(item.stringValue());
    }
    return out;
  }

  private static Map<String, String> stringMap(JsonNode root, String field) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      return Map.of();
    }
    if (!value.isObject()) {
      throw new MalformedAlertException("field '" + field + "' must be an object");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : value.properties()) {
      JsonNode v = e.getValue();
      if (!v.isValueNode() || v.isNull()) {
        throw new MalformedAlertException(
            "field '" + field + "." + e.getKey() + "' must be a scalar");
      }
      out.put(e.getKey(), v.asString());
    }
    return out;
  }

  private static Map<String, List<JsonNode>> events(JsonNode root) {
    JsonNode value = root.get("events");
    if (value == null || value.isNull()) {
      return Map.of();
    }
    if (!value.isObject()) {
      throw new MalformedAlertException("field 'events' must be an object of stage -> array");
    }
    Map<String, List<JsonNode>> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : value.properties()) {
      if (!e.getValue().isArray()) {
        throw new MalformedAlertException("field 'events." + e.getKey() + "' must be an array");
      }
      List<JsonNode> list = new ArrayList<>();
      e.getValue().forEach(list::add);
      out.put(e.getKey(), list);
    }
    return out;
  }
}
