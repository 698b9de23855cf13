package io.vigil.compiler.drools;

import io.vigil.dsl.schema.StreamSchema;
import java.time.Duration;
import java.util.List;

/**
 * What a DRL rule set binds, as {@code vigil explain} prints it: the streams it reads and their
 * generated fact types, the key, stateless or stateful (and for how long facts are kept), the
 * pattern alerts it reads, the {@code alerts} global and its DRL rules.
 */
public final class DecisionExplainer {

  private DecisionExplainer() {}

  public static String explain(DecisionRuleSet rules) {
    DecisionHeader header = rules.header();
    StringBuilder out = new StringBuilder();
    out.append("DRL rule set ").append(rules.name()).append('\n');
    out.append("  streams      ").append(String.join(", ", header.streams())).append('\n');
    out.append("  partition by ")
        .append(
            header.keyFields().isEmpty()
                ? "(none: one key)"
                : String.join(", ", header.keyFields()))
        .append('\n');
    out.append("  evaluation   ")
        .append(
            header.stateful()
                ? "stateful: a Drools Fusion session per key on event time, facts kept "
                    + Duration.ofMillis(header.expireAfterMillis())
                        .toString()
                        .substring(2)
                        .toLowerCase(java.util.Locale.ROOT)
                : "stateless: each event alone")
        .append('\n');
    if (!header.alertsOf().isEmpty()) {
      out.append("  alerts of    ").append(String.join(", ", header.alertsOf())).append('\n');
    }
    out.append("  fact types\n");
    for (String stream : header.streams()) {
      StreamSchema schema = rules.schemas().get(stream);
      out.append("    ")
          .append(stream)
          .append(header.stateful() ? " @role(event)" : "")
          .append('(');
      List<String> fields =
          schema.fields().stream()
              .map(f -> DecisionFacts.fieldName(f.path()) + ": " + DecisionFacts.javaType(f.type()))
              .toList();
      out.append(String.join(", ", fields)).append(")\n");
    }
    if (!header.alertsOf().isEmpty()) {
      out.append("    ")
          .append(PatternAlertFacts.STREAM)
          .append(" @role(event)(")
          .append(String.join(", ", PatternAlertFacts.fieldNames(header.keyFields())))
          .append(")\n");
    }
    out.append("  globals      alerts: ").append(DecisionAlerts.class.getName()).append('\n');
    out.append("  rules        ");
    out.append(String.join(", ", rules.ruleNames().stream().map(n -> '"' + n + '"').toList()));
    return out.append('\n').toString();
  }
}
