package io.vigil.compiler.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vigil.dsl.schema.StreamSchema;
import io.vigil.dsl.schema.Type;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON object straight into a schema's field array with Jackson's token stream: no tree, no
 * map, fields the schema does not declare skipped unread. It takes only the plain case — every
 * value of the declared type, within the limits, each schema path present at most once — and
 * answers {@code null} for anything else (malformed JSON included), so that {@link EventDecoder}
 * decides the outcome and words the reason exactly as its tree reading does.
 */
final class StreamingFieldReader {

  /** One key along the schema's dotted paths: a field, or an object holding some. */
  private static final class PathNode {
    final Map<String, PathNode> children = new HashMap<>();
    final int id;
    int field = -1;

    PathNode(int id) {
      this.id = id;
    }
  }

  private final List<StreamSchema.Field> fields;
  private final Type[] types;
  private final PathNode root;
  private final int nodeCount;
  private final int timeIndex;
  private final DecodingLimits limits;
  private final boolean usable;

  StreamingFieldReader(
      List<StreamSchema.Field> fields, int timeIndex, String[][] segments, DecodingLimits limits) {
    this.fields = fields;
    this.timeIndex = timeIndex;
    this.limits = limits;
    this.types = new Type[fields.size()];
    int ids = 0;
    this.root = new PathNode(ids++);
    boolean clean = true;
    for (int i = 0; i < fields.size(); i++) {
      types[i] = fields.get(i).type();
      PathNode node = root;
      for (String segment : segments[i]) {
        PathNode child = node.children.get(segment);
        if (child == null) {
          child = new PathNode(ids++);
          node.children.put(segment, child);
        }
        node = child;
      }
      clean &= node.field < 0;
      node.field = i;
    }
    this.nodeCount = ids;
    // A path that is both a field and an object holding fields is left to the tree reading.
    this.usable = clean && noFieldHasChildren(root);
  }

  private static boolean noFieldHasChildren(PathNode node) {
    if (node.field >= 0 && !node.children.isEmpty()) {
      return false;
    }
    for (PathNode child : node.children.values()) {
      if (!noFieldHasChildren(child)) {
        return false;
      }
    }
    return true;
  }

  /** The field values, or null when the tree reading must decide. */
  Object[] read(JsonFactory factory, byte[] json) {
    if (!usable) {
      return null;
    }
    try (JsonParser parser = factory.createParser(json)) {
      return read(parser);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  Object[] read(JsonFactory factory, String json) {
    if (!usable) {
      return null;
    }
    try (JsonParser parser = factory.createParser(json)) {
      return read(parser);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The field values of the object whose START_OBJECT is {@code parser}'s current token (the parser
   * is then at its END_OBJECT), or null when the tree reading must decide (the parser is then left
   * anywhere in the object).
   */
  Object[] readCurrent(JsonParser parser) {
    if (!usable || parser.currentToken() != JsonToken.START_OBJECT) {
      return null;
    }
    try {
      return readMembers(parser);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private Object[] read(JsonParser parser) throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      return null;
    }
    return readMembers(parser);
  }

  private Object[] readMembers(JsonParser parser) throws IOException {
    Object[] values = new Object[fields.size()];
    boolean[] seen = new boolean[nodeCount];
    if (!readObject(parser, root, values, seen)) {
      return null;
    }
    return values[timeIndex] == null ? null : values;
  }

  /**
   * Reads the members of an object whose START_OBJECT was just read; false: let the tree decide.
   */
  private boolean readObject(JsonParser parser, PathNode node, Object[] values, boolean[] seen)
      throws IOException {
    JsonToken token;
    while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
      PathNode child = node.children.get(parser.currentName());
      JsonToken value = parser.nextToken();
      if (child == null) {
        parser.skipChildren();
        continue;
      }
      if (seen[child.id]) {
        return false; // a repeated key: the tree keeps the last one, with its own consequences
      }
      seen[child.id] = true;
      if (child.field < 0) {
        if (value != JsonToken.START_OBJECT || !readObject(parser, child, values, seen)) {
          return false;
        }
      } else if (value != JsonToken.VALUE_NULL) {
        Object converted = convert(types[child.field], parser, value);
        if (converted == null) {
          return false;
        }
        values[child.field] = converted;
      }
    }
    return token == JsonToken.END_OBJECT;
  }

  /** As the tree reading's conversion, or null where that would reject or differ. */
  private Object convert(Type type, JsonParser parser, JsonToken token) throws IOException {
    switch (type) {
      case STRING:
        return token == JsonToken.VALUE_STRING ? text(parser) : null;
      case INT:
        if (token == JsonToken.VALUE_NUMBER_INT
            && parser.getNumberType() == JsonParser.NumberType.INT) {
          return (long) parser.getIntValue();
        }
        return null;
      case LONG:
        return longValue(parser, token);
      case DOUBLE:
        if (token == JsonToken.VALUE_NUMBER_FLOAT
            || (token == JsonToken.VALUE_NUMBER_INT
                && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER)) {
          double d = parser.getDoubleValue();
          // The tree reads floats as decimals, which have no negative zero.
          return Double.isFinite(d) ? (d == 0.0 ? 0.0 : d) : null;
        }
        return null;
      case DECIMAL:
        return decimal(parser, token);
      case BOOLEAN:
        return token == JsonToken.VALUE_TRUE
            ? Boolean.TRUE
            : token == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
      case TIMESTAMP:
        if (token == JsonToken.VALUE_STRING) {
          String text = text(parser);
          if (text == null) {
            return null;
          }
          long millis = IsoTimestamps.epochMillis(text);
          return millis == IsoTimestamps.NOT_FAST ? null : millis;
        }
        return longValue(parser, token);
      default:
        return null;
    }
  }

  private String text(JsonParser parser) throws IOException {
    String text = parser.getText();
    return text.length() > limits.stringLength() ? null : text;
  }

  private static Long longValue(JsonParser parser, JsonToken token) throws IOException {
    if (token == JsonToken.VALUE_NUMBER_INT
        && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      return parser.getLongValue();
    }
    return null;
  }

  private BigDecimal decimal(JsonParser parser, JsonToken token) throws IOException {
    BigDecimal d;
    if (token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT) {
      d = parser.getDecimalValue();
    } else if (token == JsonToken.VALUE_STRING) {
      String text = text(parser);
      if (text == null) {
        return null;
      }
      try {
        d = new BigDecimal(text.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    } else {
      return null;
    }
    return EventDecoder.digits(d) > limits.decimalDigits() ? null : d;
  }
}
