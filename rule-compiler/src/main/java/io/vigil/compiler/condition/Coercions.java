package io.vigil.compiler.condition;

import io.vigil.dsl.schema.Type;
import java.math.BigDecimal;

/** Conversions between run-time representations, applied where the checker widened a type. */
final class Coercions {

  private Coercions() {}

  static Object to(Type domain, Object value) {
    return switch (domain) {
      case DECIMAL -> toDecimal(value);
      case DOUBLE -> value instanceof Double ? value : ((Number) value).doubleValue();
      case INT, LONG, TIMESTAMP -> value instanceof Long ? value : ((Number) value).longValue();
      default -> value;
    };
  }

  static BigDecimal toDecimal(Object value) {
    if (value instanceof BigDecimal d) {
      return d;
    }
    if (value instanceof Double d) {
      return BigDecimal.valueOf(d);
    }
    return BigDecimal.valueOf(((Number) value).longValue());
  }
}
