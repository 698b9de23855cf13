package io.vigil.runtime.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The line format of {@code vigil run}: {@code {"stream":"<name>","event":{…}}}. A line that does
 * not have that shape still becomes a {@link RawEvent} (stream {@code ?}), so that the decoder
 * dead-letters it with the reason instead of the job failing.
 */
public final class EventLines {

  // Numbers are copied exactly (a decimal keeps its scale: 899.00 stays 899.00), as the job reads
  // them from Kafka; the tree reading below keeps them the same way.
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
          .build();

  /** The stream name given to lines that name none. */
  public static final String NO_STREAM = "?";

  private EventLines() {}

  /**
   * Reads the line's token stream once (no tree): the event object is copied token by token into
   * its compact text, which is what the decoder and a dead letter see.
   */
  public static RawEvent parse(String line, String file) {
    return parse(line, file, -1);
  }

  /** As {@link #parse(String, String)}, for the line at byte {@code offset} of the file. */
  public static RawEvent parse(String line, String file, long offset) {
    JsonFactory factory = MAPPER.getFactory();
    try (JsonParser parser = factory.createParser(line)) {
      if (parser.nextToken() == JsonToken.START_OBJECT) {
        String stream = null;
        String event = null;
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          JsonToken value = parser.nextToken();
          // A repeated key counts once, the last time (as a JSON tree keeps it).
          if (name.equals("stream")) {
            stream = value == JsonToken.VALUE_STRING ? parser.getText() : null;
          } else if (name.equals("event")) {
            event = value == JsonToken.START_OBJECT ? copy(factory, parser) : null;
          } else {
            parser.skipChildren();
          }
        }
        if (token == JsonToken.END_OBJECT && stream != null && event != null) {
          return new RawEvent(stream, event, file, -1, offset);
        }
      }
    } catch (RepeatedKey e) {
      return parseByTree(line, file, offset);
    } catch (Exception e) {
      // Reported by the decoder as malformed, with the raw line.
    }
    return new RawEvent(NO_STREAM, line, file, -1, offset);
  }

  /** A repeated key inside the event: the tree reading decides which value stays. */
  private static final class RepeatedKey extends Exception {
    RepeatedKey() {
      super(null, null, false, false);
    }
  }

  private static String copy(JsonFactory factory, JsonParser parser)
      throws java.io.IOException, RepeatedKey {
    java.io.StringWriter out = new java.io.StringWriter(256);
    try (JsonGenerator generator = factory.createGenerator(out)) {
      copyObject(parser, generator);
    }
    return out.toString();
  }

  /** Copies the object whose START_OBJECT is the current token, refusing repeated keys. */
  private static void copyObject(JsonParser parser, JsonGenerator generator)
      throws java.io.IOException, RepeatedKey {
    generator.writeStartObject();
    java.util.Set<String> names = new java.util.HashSet<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      if (!names.add(parser.currentName())) {
        throw new RepeatedKey();
      }
      generator.copyCurrentEventExact(parser);
      copyValue(parser, generator, parser.nextToken());
    }
    generator.writeEndObject();
  }

  private static void copyValue(JsonParser parser, JsonGenerator generator, JsonToken token)
      throws java.io.IOException, RepeatedKey {
    if (token == JsonToken.START_OBJECT) {
      copyObject(parser, generator);
    } else if (token == JsonToken.START_ARRAY) {
      generator.writeStartArray();
      JsonToken next;
      while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
        copyValue(parser, generator, next);
      }
      generator.writeEndArray();
    } else {
      generator.copyCurrentEventExact(parser);
    }
  }

  /** The reading through a JSON tree, for the rare line with a repeated key in its event. */
  private static RawEvent parseByTree(String line, String file, long offset) {
    try {
      JsonNode node = MAPPER.readTree(line);
      if (node != null
          && node.isObject()
          && node.path("stream").isTextual()
          && node.path("event").isObject()) {
        return new RawEvent(
            node.get("stream").asText(), node.get("event").toString(), file, -1, offset);
      }
    } catch (Exception e) {
      // Reported by the decoder as malformed, with the raw line.
    }
    return new RawEvent(NO_STREAM, line, file, -1, offset);
  }

  public static String format(String stream, String eventJson) {
    return "{\"stream\":" + MAPPER.valueToTree(stream) + ",\"event\":" + eventJson + "}";
  }
}
