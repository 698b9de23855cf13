package io.vigil.runtime.routing;

import java.util.Map;

/**
 * Flink keys of the matcher: {@code spec SEP value SEP value…}. Values are rendered with their type
 * tag so that {@code 1} (long) and {@code "1"} (string) never share a key.
 */
public final class RoutingKeys {

  private static final char SEP = '\u001f';

  private RoutingKeys() {}

  public static String of(String spec, Map<String, Object> key) {
    return of(spec, key.values());
  }

  /** The key of {@code spec} with these values, in the order of the spec's fields. */
  public static String of(String spec, java.util.Collection<?> values) {
    StringBuilder out = new StringBuilder(spec.length() + 16 * values.size()).append(spec);
    for (Object value : values) {
      Object canonical =
          value instanceof java.math.BigDecimal d ? d.stripTrailingZeros().toPlainString() : value;
      out.append(SEP).append(value.getClass().getSimpleName().charAt(0)).append(canonical);
    }
    return out.toString();
  }

  public static String specOf(String routingKey) {
    int end = routingKey.indexOf(SEP);
    return end < 0 ? routingKey : routingKey.substring(0, end);
  }
}
