package io.vigil.compiler.drools;

import io.vigil.dsl.schema.StreamSchema;
import io.vigil.dsl.schema.Type;
import java.util.Map;

/**
 * The fact types of a DRL rule set: one DRL {@code declare} per stream it reads, named like the
 * stream, with one field per stream field (a nested path {@code geo.country} becomes {@code
 * geo_country}) of the type that holds its values at run time. Drools generates the classes itself
 * when it builds the rule set; no Java compiler and no class of Vigil's is involved.
 *
 * <p>Appended after the rule set's own text (with the {@code alerts} global), so that every line
 * the author wrote keeps its number in Drools' errors.
 */
final class DecisionFacts {

  private DecisionFacts() {}

  /** The DRL fact field of a stream field path. */
  static String fieldName(String path) {
    return path.replace('.', '_');
  }

  static String javaType(Type type) {
    return switch (type) {
      case STRING -> "String";
      case INT, LONG, TIMESTAMP -> "Long";
      case DOUBLE -> "Double";
      case DECIMAL -> "java.math.BigDecimal";
      case BOOLEAN -> "Boolean";
      case NULL -> throw new IllegalArgumentException("no field is of type null");
    };
  }

  /** The text appended to the rule set: the fact declarations and the {@code alerts} global. */
  static String declarations(DecisionHeader header, Map<String, StreamSchema> schemas) {
    StringBuilder out = new StringBuilder("\n");
    for (String stream : header.streams()) {
      out.append("declare ").append(stream).append('\n');
      if (header.stateful()) {
        // Events, so that temporal operators and windows apply; their time is the session's
        // pseudo clock, set to the event time before each insert.
        out.append("  @role(event)\n");
      }
      for (StreamSchema.Field field : schemas.get(stream).fields()) {
        out.append("  ")
            .append(fieldName(field.path()))
            .append(" : ")
            .append(javaType(field.type()))
            .append('\n');
      }
      out.append("end\n");
    }
    if (!header.alertsOf().isEmpty()) {
      Map<String, String> keyTypes = new java.util.HashMap<>();
      StreamSchema first = schemas.get(header.streams().get(0));
      for (String key : header.keyFields()) {
        keyTypes.put(key, javaType(first.field(key).orElseThrow().type()));
      }
      out.append(PatternAlertFacts.declaration(header.keyFields(), keyTypes));
    }
    out.append("global ").append(DecisionAlerts.class.getName()).append(" alerts;\n");
    return out.toString();
  }
}
