package io.vigil.compiler.rule;

import io.vigil.dsl.schema.Type;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * How values appear in alert messages: timestamps as ISO-8601 instants ({@code
 * 2026-01-05T10:15:00Z}), decimals as plain strings with their scale ({@code 1500.00}, never {@code
 * 1.5E+3}), doubles rounded to at most 6 decimals without trailing zeros but with at least one
 * ({@code 95.5}, {@code 100.0}, {@code 3.333333}), a missing value as {@code null}.
 */
final class ValueFormat {

  private ValueFormat() {}

  static String format(Object value, Type type) {
    if (value == null) {
      return "null";
    }
    if (type == Type.TIMESTAMP && value instanceof Long millis) {
      return Instant.ofEpochMilli(millis).toString();
    }
    return plain(value);
  }

  static String plain(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (value instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        return d.toString();
      }
      BigDecimal rounded =
          BigDecimal.valueOf(d).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros();
      return rounded.scale() <= 0 ? rounded.setScale(1).toPlainString() : rounded.toPlainString();
    }
    return value.toString();
  }
}
