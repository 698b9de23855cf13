package io.vigil.compiler.rule;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The partition-key values of one event for one rule, in the order of the rule's {@code partition
 * by} fields. Values use the run-time representation of their type and are never null (an event
 * without a key field never reaches the rule). Two rules with the same key fields produce equal
 * keys for the same event, so the runtime can key the stream once for both.
 *
 * <p>As a Flink key, prefer {@link #text()} (a String): this record holds immutable lists, which
 * Flink would serialize with Kryo as a generic type.
 *
 * @param fields the key field paths, e.g. {@code [cardId]}
 * @param values the values, one per field
 */
public record RuleKey(List<String> fields, List<Object> values) implements Serializable {

  public RuleKey {
    fields = List.copyOf(fields);
    values = List.copyOf(values);
    if (fields.size() != values.size()) {
      throw new IllegalArgumentException("one value per key field: " + fields + " " + values);
    }
  }

  public Object value(int position) {
    return values.get(position);
  }

  /** Field path to value as text, in key order (for alerts and logs). */
  public Map<String, String> asMap() {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < fields.size(); i++) {
      out.put(fields.get(i), ValueFormat.plain(values.get(i)));
    }
    return out;
  }

  /** {@code cardId=c-1} or {@code a=1,b=x}: stable, human-readable. */
  public String text() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(fields.get(i)).append('=').append(ValueFormat.plain(values.get(i)));
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return text();
  }

  // Records derive equals/hashCode from the lists; made explicit because Flink keys on them.
  @Override
  public boolean equals(Object o) {
    return o instanceof RuleKey k && k.fields.equals(fields) && k.values.equals(values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(fields, values);
  }
}
