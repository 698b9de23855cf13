package io.vigil.runtime.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vigil.compiler.event.DecodingLimits;
import io.vigil.compiler.event.Event;
import io.vigil.compiler.event.EventDecoder;
import java.util.Optional;
import java.util.function.Function;

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

  /**
   * The factory of the one-pass reading ({@link #decode}) for events decoded within {@code limits}:
   * nesting is bounded as the two-pass reading bounds it (the event one level below the line, the
   * line within Jackson's default).
   */
  public static JsonFactory lineFactory(DecodingLimits limits) {
    int depth = Math.min(limits.nestingDepth() + 1, StreamReadConstraints.DEFAULT_MAX_DEPTH);
    return JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(depth).build())
        .build();
  }

  /**
   * The event of a line in one pass: when {@code "stream"} comes first and {@code "event"} second
   * (as {@link #format} writes them), the stream's decoder reads the event object straight from the
   * line's UTF-8 bytes into its field array. Empty for every other line, and wherever the decoder
   * would need the event's text (a rejection to word, a repeated key) or a later key could replace
   * the stream or the event: {@link #parse} then reads the line and the decoder decides, as for any
   * line. On every line this reading decodes, {@link #parse} and the decoder give the same event.
   *
   * @param factory from {@link #lineFactory}, for the decoders' limits
   * @param decoders the decoder of a stream's events, empty for a stream the rules do not know
   */
  public static Optional<Event> decode(
      byte[] line,
      int from,
      int length,
      JsonFactory factory,
      Function<String, Optional<EventDecoder>> decoders) {
    try (JsonParser parser = factory.createParser(line, from, length)) {
      return decodeNext(parser, decoders);
    } catch (java.io.IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * As {@link #decode}, for the line whose first token is {@code parser}'s next: on an event, the
   * parser is left at the line's closing brace, and nothing after it is read.
   */
  static Optional<Event> decodeNext(
      JsonParser parser, Function<String, Optional<EventDecoder>> decoders)
      throws java.io.IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT
        || !nextFieldIs(parser, "stream")
        || parser.nextToken() != JsonToken.VALUE_STRING) {
      return Optional.empty();
    }
    Optional<EventDecoder> decoder = decoders.apply(parser.getText());
    if (decoder.isEmpty()
        || !nextFieldIs(parser, "event")
        || parser.nextToken() != JsonToken.START_OBJECT) {
      return Optional.empty();
    }
    Optional<Event> event = decoder.get().decodeCurrentObject(parser);
    if (event.isEmpty()) {
      return Optional.empty();
    }
    JsonToken token;
    while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      if (name.equals("stream") || name.equals("event")) {
        return Optional.empty(); // the last one counts: the two-pass reading decides
      }
      parser.nextToken();
      parser.skipChildren();
    }
    return token == JsonToken.END_OBJECT ? event : Optional.empty();
  }

  private static boolean nextFieldIs(JsonParser parser, String name) throws java.io.IOException {
    return parser.nextToken() == JsonToken.FIELD_NAME && name.equals(parser.currentName());
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
