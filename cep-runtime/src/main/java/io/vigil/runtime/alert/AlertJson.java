package io.vigil.runtime.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one JSON mapping of {@link Alert}, and the deterministic alert id. Times are ISO-8601 UTC
 * strings; decimals are written as JSON numbers without loss.
 */
public final class AlertJson {

  // Decimals read back as BigDecimal: an alert survives a round trip unchanged.
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private AlertJson() {}

  public static String write(Alert alert) {
    return toNode(alert).toString();
  }

  public static ObjectNode toNode(Alert alert) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("alertId", alert.alertId());
    node.put("ruleId", alert.ruleId());
    node.put("ruleVersion", alert.ruleVersion());
    node.put("kind", alert.kind().name());
    node.put("severity", alert.severity());
    node.put("title", alert.title());
    node.put("message", alert.message());
    ArrayNode tags = node.putArray("tags");
    alert.tags().forEach(tags::add);
    if (alert.owner().isPresent()) {
      node.put("owner", alert.owner().get());
    } else {
      node.putNull("owner");
    }
    node.set("key", MAPPER.valueToTree(alert.key()));
    node.put("startTime", Instant.ofEpochMilli(alert.startTime()).toString());
    node.put("endTime", Instant.ofEpochMilli(alert.endTime()).toString());
    node.put("detectedAt", Instant.ofEpochMilli(alert.detectedAt()).toString());
    node.set("events", MAPPER.valueToTree(alert.events()));
    node.set("dropped", MAPPER.valueToTree(alert.dropped()));
    node.put("truncated", alert.truncated());
    return node;
  }

  /** Reads an alert back (tests and tools); values come back as JSON-native Java types. */
  @SuppressWarnings("unchecked")
  public static Alert read(String json) {
    try {
      JsonNode node = MAPPER.readTree(json);
      List<String> tags = new ArrayList<>();
      node.path("tags").forEach(t -> tags.add(t.asText()));
      return new Alert(
          node.path("alertId").asText(),
          node.path("ruleId").asText(),
          node.path("ruleVersion").asLong(),
          Alert.Kind.valueOf(node.path("kind").asText()),
          node.path("severity").asText(),
          node.path("title").asText(),
          node.path("message").asText(),
          tags,
          node.hasNonNull("owner") ? Optional.of(node.get("owner").asText()) : Optional.empty(),
          MAPPER.convertValue(node.path("key"), LinkedHashMap.class),
          Instant.parse(node.path("startTime").asText()).toEpochMilli(),
          Instant.parse(node.path("endTime").asText()).toEpochMilli(),
          Instant.parse(node.path("detectedAt").asText()).toEpochMilli(),
          MAPPER.convertValue(node.path("events"), LinkedHashMap.class),
          node.has("dropped")
              ? MAPPER.convertValue(node.get("dropped"), LinkedHashMap.class)
              : Map.of(),
          node.path("truncated").asBoolean(false));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The alert id: SHA-256 over rule id, version, kind, key and the matched events (stage names,
   * order and values), as 32 hex digits. Everything that is not part of the match (detection time,
   * message templates) is left out so that a replay yields the same id. When the per-stage cap left
   * events out, the kept events and the numbers left out ({@code dropped}) stand for the match.
   */
  public static String alertId(
      String ruleId,
      long version,
      Alert.Kind kind,
      Map<String, Object> key,
      Map<String, List<Map<String, Object>>> events,
      Map<String, Integer> dropped) {
    ObjectNode canonical = MAPPER.createObjectNode();
    canonical.put("r", ruleId);
    canonical.put("v", version);
    canonical.put("k", kind.name());
    canonical.set("key", MAPPER.valueToTree(key));
    canonical.set("e", MAPPER.valueToTree(events));
    if (!dropped.isEmpty()) {
      // Only then: the ids of complete alerts stay what they always were.
      canonical.set("d", MAPPER.valueToTree(dropped));
    }
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] hash = digest.digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
