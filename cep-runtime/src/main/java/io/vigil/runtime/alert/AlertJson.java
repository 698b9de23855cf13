package io.vigil.runtime.alert;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
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
 * strings; decimals are written as JSON numbers without loss, with the scale they were read with.
 * Both are written straight from the alert's values, without a tree in between.
 */
public final class AlertJson {

  // Decimals read back as BigDecimal with their scale: an alert survives a round trip unchanged.
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

  // The mapper alert ids were always computed with (its trees strip trailing zeros).
  private static final ObjectMapper ID_MAPPER =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private static final JsonValues VALUES = JsonValues.asHeld(MAPPER);
  private static final JsonValues CANONICAL = JsonValues.canonical(ID_MAPPER);

  private AlertJson() {}

  public static String write(Alert alert) {
    return written(
        MAPPER,
        g -> {
          g.writeStartObject();
          g.writeStringField("alertId", alert.alertId());
          g.writeStringField("ruleId", alert.ruleId());
          g.writeNumberField("ruleVersion", alert.ruleVersion());
          g.writeStringField("kind", alert.kind().name());
          g.writeStringField("severity", alert.severity());
          g.writeStringField("title", alert.title());
          g.writeStringField("message", alert.message());
          g.writeArrayFieldStart("tags");
          for (String tag : alert.tags()) {
            g.writeString(tag);
          }
          g.writeEndArray();
          g.writeStringField("owner", alert.owner().orElse(null));
          g.writeFieldName("key");
          VALUES.write(g, alert.key());
          g.writeStringField("startTime", Instant.ofEpochMilli(alert.startTime()).toString());
          g.writeStringField("endTime", Instant.ofEpochMilli(alert.endTime()).toString());
          g.writeStringField("detectedAt", Instant.ofEpochMilli(alert.detectedAt()).toString());
          g.writeFieldName("events");
          VALUES.write(g, alert.events());
          g.writeFieldName("dropped");
          VALUES.write(g, alert.dropped());
          g.writeBooleanField("truncated", alert.truncated());
          g.writeEndObject();
        });
  }

  /** What a generator is given to write. */
  private interface Writing {
    void to(JsonGenerator g) throws IOException;
  }

  private static String written(ObjectMapper mapper, Writing writing) {
    // The generator hands over its text in pieces of its own buffer's size: the first sizes this.
    StringWriter out = new StringWriter();
    try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
      writing.to(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
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
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
    // The canonical JSON's UTF-8 goes straight into the digest, as its text's getBytes would.
    Utf8DigestWriter text = new Utf8DigestWriter(digest);
    try (JsonGenerator g = ID_MAPPER.getFactory().createGenerator(text)) {
      g.writeStartObject();
      g.writeStringField("r", ruleId);
      g.writeNumberField("v", version);
      g.writeStringField("k", kind.name());
      g.writeFieldName("key");
      CANONICAL.write(g, key);
      g.writeFieldName("e");
      CANONICAL.write(g, events);
      if (!dropped.isEmpty()) {
        // Only then: the ids of complete alerts stay what they always were.
        g.writeFieldName("d");
        CANONICAL.write(g, dropped);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Closing the generator closes its writer too; closing again costs nothing and does not lean
    // on that.
    text.close();
    return HexFormat.of().formatHex(digest.digest(), 0, 16);
  }
}
