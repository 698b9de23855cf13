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
    if (values.size() == 1 && values instanceof java.util.List<?> list) {
      // The router's usual case, one key field: the key's bytes are made once, at their length.
      Object value = list.get(0);
      return spec + SEP + tag(value) + canonical(value);
    }
    StringBuilder out = new StringBuilder(spec.length() + 16 * values.size()).append(spec);
    for (Object value : values) {
      out.append(SEP).append(tag(value)).append(canonical(value));
    }
    return out.toString();
  }

  private static char tag(Object value) {
    return value.getClass().getSimpleName().charAt(0);
  }

  private static Object canonical(Object value) {
    return value instanceof java.math.BigDecimal d ? d.stripTrailingZeros().toPlainString() : value;
  }

  public static String specOf(String routingKey) {
    int end = routingKey.indexOf(SEP);
    return end < 0 ? routingKey : routingKey.substring(0, end);
  }
}
