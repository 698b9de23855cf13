package io.vigil.compiler.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vigil.dsl.schema.StreamSchema;
import io.vigil.dsl.schema.Type;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * Decodes JSON objects into {@link Event}s of one stream. Nested objects are read by dotted path
 * ({@code geo.country} reads {@code {"geo": {"country": ...}}}); fields the schema does not declare
 * are ignored; a missing or null field is null. Values are validated against their declared type:
 *
 * <ul>
 *   <li>string: a JSON string;
 *   <li>int: a JSON integer within 32 bits; long: a JSON integer within 64 bits;
 *   <li>double: any JSON number;
 *   <li>decimal: any JSON number (read exactly, scale kept: {@code 12.50}) or a string holding one
 *       ({@code "12.50"}: money is often sent as text to keep it exact);
 *   <li>boolean: true or false;
 *   <li>timestamp: epoch milliseconds (a JSON integer) or an ISO-8601 string with a zone or offset
 *       ({@code 2026-01-05T10:15:00Z}, {@code 2026-01-05T11:15:00+01:00}).
 * </ul>
 *
 * The stream's time field must be present. Messages beyond the {@link DecodingLimits} (long
 * strings, decimals with too many digits, deep nesting) are rejected with the reason. Thread-safe.
 */
public final class EventDecoder implements Serializable {

  private static final long serialVersionUID = 1L;

  private final String stream;
  private final List<StreamSchema.Field> fields;
  private final String[][] segments;
  private final int timeIndex;
  private final DecodingLimits limits;
  private transient volatile ObjectMapper mapper;
  private transient volatile StreamingFieldReader reader;

  /** A decoder with the default {@link DecodingLimits}. */
  public EventDecoder(StreamSchema schema) {
    this(schema, DecodingLimits.defaults());
  }

  public EventDecoder(StreamSchema schema, DecodingLimits limits) {
    this.limits = limits;
    this.stream = schema.name();
    this.fields = schema.fields();
    this.segments = new String[fields.size()][];
    for (int i = 0; i < fields.size(); i++) {
      segments[i] = fields.get(i).path().split("\\.");
    }
    this.timeIndex = schema.timeIndex();
  }

  public String stream() {
    return stream;
  }

  /**
   * Decodes the UTF-8 bytes of a JSON object. The plain case goes straight from the token stream
   * into the field array; anything else (a wrong type, a limit, malformed JSON) is decided by the
   * tree reading, which words the reason.
   */
  public DecodeResult decode(byte[] json) {
    Object[] values = reader().read(mapper().getFactory(), json);
    return values != null
        ? decoded(values)
        : decodeByTree(new String(json, StandardCharsets.UTF_8));
  }

  public DecodeResult decode(String json) {
    Object[] values = reader().read(mapper().getFactory(), json);
    return values != null ? decoded(values) : decodeByTree(json);
  }

  /**
   * The event of the JSON object whose START_OBJECT is {@code parser}'s current token, read
   * straight from the parser into the field array, as {@link #decode(String)} reads the object's
   * text (the parser is then at the object's END_OBJECT). Empty where that reading needs the tree
   * (a rejection to word, a repeated key): decode the object's text instead; the parser is then
   * left anywhere in the object. The parser's factory should constrain nesting as {@link
   * DecodingLimits} does, one level deeper per object around this one.
   */
  public Optional<Event> decodeCurrentObject(JsonParser parser) {
    Object[] values = reader().readCurrent(parser);
    return values == null
        ? Optional.empty()
        : Optional.of(new Event(stream, (Long) values[timeIndex], values));
  }

  private DecodeResult decoded(Object[] values) {
    return new DecodeResult.Decoded(new Event(stream, (Long) values[timeIndex], values));
  }

  /** The reading through a JSON tree: the reference the streaming reading agrees with. */
  DecodeResult decodeByTree(String json) {
    JsonNode root;
    try {
      root = mapper().readTree(json);
    } catch (StreamConstraintsException e) {
      return new DecodeResult.Rejected("beyond the decoding limits: " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      return new DecodeResult.Rejected("not JSON: " + e.getOriginalMessage());
    }
    return decode(root);
  }

  public DecodeResult decode(JsonNode root) {
    if (root == null || !root.isObject()) {
      return new DecodeResult.Rejected(
          "expected a JSON object, got " + (root == null ? "nothing" : describe(root)));
    }
    Object[] values = new Object[fields.size()];
    for (int i = 0; i < fields.size(); i++) {
      StreamSchema.Field field = fields.get(i);
      JsonNode node = root;
      for (int s = 0; s < segments[i].length && node != null; s++) {
        if (!node.isObject()) {
          return new DecodeResult.Rejected(
              "field %s: expected an object at %s, got %s"
                  .formatted(
                      field.path(),
                      String.join(".", List.of(segments[i]).subList(0, s)),
                      describe(node)));
        }
        node = node.get(segments[i][s]);
      }
      if (node == null || node.isNull()) {
        continue;
      }
      if (node.isTextual() && node.textValue().length() > limits.stringLength()) {
        return new DecodeResult.Rejected(
            "field %s: a string of %d characters, more than the limit of %d"
                .formatted(field.path(), node.textValue().length(), limits.stringLength()));
      }
      Object value = convert(field.type(), node);
      if (value instanceof BigDecimal d && digits(d) > limits.decimalDigits()) {
        return new DecodeResult.Rejected(
            "field %s: a number of %d digits written out, more than the limit of %d"
                .formatted(field.path(), digits(d), limits.decimalDigits()));
      }
      if (value == null) {
        return new DecodeResult.Rejected(
            "field %s: expected %s, got %s"
                .formatted(field.path(), expected(field.type()), describe(node)));
      }
      values[i] = value;
    }
    if (values[timeIndex] == null) {
      return new DecodeResult.Rejected(
          "field %s: missing event time".formatted(fields.get(timeIndex).path()));
    }
    return new DecodeResult.Decoded(new Event(stream, (Long) values[timeIndex], values));
  }

  /** The value in its run-time representation, or null when the node does not fit the type. */
  private static Object convert(Type type, JsonNode node) {
    switch (type) {
      case STRING:
        return node.isTextual() ? node.textValue() : null;
      case INT:
        return node.isIntegralNumber() && node.canConvertToInt() ? node.longValue() : null;
      case LONG:
        return node.isIntegralNumber() && node.canConvertToLong() ? node.longValue() : null;
      case DOUBLE:
        // A number beyond the range of a double (1e999) is refused, not read as infinity.
        return node.isNumber() && Double.isFinite(node.doubleValue()) ? node.doubleValue() : null;
      case DECIMAL:
        if (node.isNumber()) {
          return node.decimalValue();
        }
        if (node.isTextual()) {
          try {
            return new BigDecimal(node.textValue().trim());
          } catch (NumberFormatException e) {
            return null;
          }
        }
        return null;
      case BOOLEAN:
        return node.isBoolean() ? node.booleanValue() : null;
      case TIMESTAMP:
        if (node.isIntegralNumber() && node.canConvertToLong()) {
          return node.longValue();
        }
        return node.isTextual() ? parseInstant(node.textValue()) : null;
      default:
        return null;
    }
  }

  /**
   * The digits of {@code d} written out in full (what {@code toPlainString} would print), computed
   * without writing it: {@code 1e999999999} has a billion.
   */
  static long digits(BigDecimal d) {
    long precision = d.precision();
    long scale = d.scale();
    return scale <= 0 ? precision - scale : Math.max(precision, scale + 1);
  }

  // Floats as BigDecimal so that a decimal field keeps its exact value and scale; the parser
  // refuses nesting beyond the limit before building the tree.
  private ObjectMapper mapper() {
    if (mapper == null) {
      JsonFactory factory =
          JsonFactory.builder()
              .streamReadConstraints(
                  StreamReadConstraints.builder().maxNestingDepth(limits.nestingDepth()).build())
              .build();
      mapper =
          JsonMapper.builder(factory)
              .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
              .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
              .build();
    }
    return mapper;
  }

  private StreamingFieldReader reader() {
    if (reader == null) {
      reader = new StreamingFieldReader(fields, timeIndex, segments, limits);
    }
    return reader;
  }

  private static Long parseInstant(String text) {
    long fast = IsoTimestamps.epochMillis(text);
    if (fast != IsoTimestamps.NOT_FAST) {
      return fast;
    }
    try {
      return Instant.parse(text).toEpochMilli();
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(text).toInstant().toEpochMilli();
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  private static String expected(Type type) {
    return switch (type) {
      case INT -> "int (32-bit integer)";
      case LONG -> "long (64-bit integer)";
      case TIMESTAMP -> "timestamp (epoch milliseconds or ISO-8601 with zone)";
      default -> type.keyword();
    };
  }

  private static String describe(JsonNode node) {
    String text = node.toString();
    return text.length() > 60 ? text.substring(0, 57) + "..." : text;
  }
}
