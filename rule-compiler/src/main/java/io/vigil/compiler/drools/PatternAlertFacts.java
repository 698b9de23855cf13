package io.vigil.compiler.drools;

import io.vigil.compiler.event.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The alerts of pattern rules as facts of a stateful DRL rule set ({@code // vigil: alerts of
 * rule_a}): each one an instance of the DRL type {@code PatternAlert}, with the fields below and
 * then the rule set's {@code partition by} fields, taken from the alert's key. They travel to the
 * rule set's session as events of the pseudo stream {@link #STREAM}, whose values are in this
 * order.
 *
 * <pre>
 * PatternAlert( ruleId == "card_testing", severity == "high", $card : cardId )
 * </pre>
 */
public final class PatternAlertFacts {

  /** The DRL type, and the stream name the alerts travel under. */
  public static final String STREAM = "PatternAlert";

  /** Field name and DRL type, before the key fields. */
  static final List<String[]> FIELDS =
      List.of(
          new String[] {"alertId", "String"},
          new String[] {"ruleId", "String"},
          new String[] {"ruleVersion", "Long"},
          new String[] {"kind", "String"},
          new String[] {"severity", "String"},
          new String[] {"title", "String"},
          new String[] {"message", "String"},
          new String[] {"owner", "String"},
          new String[] {"tags", "String"},
          new String[] {"startTime", "Long"},
          new String[] {"endTime", "Long"});

  private PatternAlertFacts() {}

  /** The field names of the fact, key fields last (as {@link DecisionFacts#fieldName}). */
  public static List<String> fieldNames(List<String> keyFields) {
    List<String> names = new ArrayList<>();
    FIELDS.forEach(f -> names.add(f[0]));
    keyFields.forEach(k -> names.add(DecisionFacts.fieldName(k)));
    return names;
  }

  /**
   * A pattern rule's alert as an event of {@link #STREAM} at its end time.
   *
   * @param tags joined with {@code ","} (so {@code tags matches ".*fraud.*"} or {@code tags
   *     str[startsWith] "fraud"} work in constraints)
   * @param key the alert's key; the values of {@code keyFields} are taken from it
   */
  public static Event event(
      String alertId,
      String ruleId,
      long ruleVersion,
      String kind,
      String severity,
      String title,
      String message,
      String owner,
      List<String> tags,
      long startTime,
      long endTime,
      Map<String, Object> key,
      List<String> keyFields) {
    Object[] values = new Object[FIELDS.size() + keyFields.size()];
    int i = 0;
    values[i++] = alertId;
    values[i++] = ruleId;
    values[i++] = ruleVersion;
    values[i++] = kind;
    values[i++] = severity;
    values[i++] = title;
    values[i++] = message;
    values[i++] = owner;
    values[i++] = String.join(",", tags);
    values[i++] = startTime;
    values[i++] = endTime;
    for (String field : keyFields) {
      values[i++] = key.get(field);
    }
    return new Event(STREAM, endTime, values);
  }

  /** The id of the pattern rule whose alert {@code event} (of {@link #STREAM}) is. */
  public static String ruleIdOf(Event event) {
    return (String) event.value(1);
  }

  /** The declaration appended to a rule set that reads alerts. */
  static String declaration(List<String> keyFields, Map<String, String> keyTypes) {
    StringBuilder out = new StringBuilder("declare ").append(STREAM).append('\n');
    out.append("  @role(event)\n");
    for (String[] field : FIELDS) {
      out.append("  ").append(field[0]).append(" : ").append(field[1]).append('\n');
    }
    for (String field : keyFields) {
      out.append("  ")
          .append(DecisionFacts.fieldName(field))
          .append(" : ")
          .append(keyTypes.get(field))
          .append('\n');
    }
    return out.append("end\n").toString();
  }
}
