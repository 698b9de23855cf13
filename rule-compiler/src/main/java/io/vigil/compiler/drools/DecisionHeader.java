package io.vigil.compiler.drools;

import io.vigil.dsl.check.Suggestions;
import io.vigil.dsl.diagnostic.Diagnostic;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.diagnostic.Span;
import io.vigil.dsl.schema.StreamSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The binding of a DRL rule set, written as comments that Drools ignores:
 *
 * <pre>
 * // vigil: streams payments, logins
 * // vigil: partition by accountId
 * // vigil: expire after 10m
 * // vigil: alerts of card_testing, velocity
 * </pre>
 *
 * {@code streams} (required) names the declared streams whose events are the rule set's facts;
 * {@code partition by} (optional) names fields every one of them has: the alerts carry that key,
 * and events with the same key go to the same parallel instance. {@code expire after} makes the
 * rule set stateful: one session per key keeps its facts (events, and the alerts of the pattern
 * rules named by {@code alerts of}) for that long in event time.
 *
 * @param expireAfterMillis how long a stateful session keeps a fact; 0 for a stateless rule set
 */
public record DecisionHeader(
    List<String> streams, List<String> keyFields, long expireAfterMillis, List<String> alertsOf) {

  private static final Pattern DIRECTIVE =
      Pattern.compile(
          "^(\\s*//\\s*vigil:\\s*)(streams|partition by|expire after|alerts of)?\\s*(.*)$");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  public DecisionHeader {
    streams = List.copyOf(streams);
    keyFields = List.copyOf(keyFields);
    alertsOf = List.copyOf(alertsOf);
  }

  /** A stateless header (no expiry, no alerts as facts). */
  public DecisionHeader(List<String> streams, List<String> keyFields) {
    this(streams, keyFields, 0, List.of());
  }

  /** Whether the rule set keeps facts across events in a session per key. */
  public boolean stateful() {
    return expireAfterMillis > 0;
  }

  /**
   * The header of {@code drl} read without checking it against any stream: what the runtime needs
   * to route to a rule set that was already checked (unknown directives are skipped).
   */
  public static DecisionHeader parse(String drl) {
    List<Diagnostic> ignored = new ArrayList<>();
    return read(new SourceFile("rule.drl", drl), null, ignored);
  }

  private static long millis(String text) {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches()) {
      return -1;
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> n;
      case "s" -> n * 1000;
      case "m" -> n * 60_000;
      case "h" -> n * 3_600_000;
      default -> n * 86_400_000;
    };
  }

  /** Reads the header of {@code source}; problems go to {@code diagnostics}. */
  static DecisionHeader read(
      SourceFile source, Map<String, StreamSchema> known, List<Diagnostic> diagnostics) {
    List<String> streams = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    List<String> alertsOf = new ArrayList<>();
    long expire = 0;
    List<Integer> keyColumns = new ArrayList<>();
    int keyLine = 0;
    List<String> lines = source.text().lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = DIRECTIVE.matcher(lines.get(i));
      if (!m.matches()) {
        continue;
      }
      int line = i + 1;
      if (m.group(2) == null) {
        diagnostics.add(
            Diagnostic.error(
                source,
                new Span(line, m.end(1) + 1, Math.max(1, m.group(3).length())),
                "unknown vigil directive",
                "the directives are `// vigil: streams a, b`, `// vigil: partition by f`,"
                    + " `// vigil: expire after 10m` and `// vigil: alerts of rule_a, rule_b`"));
        continue;
      }
      int start = m.start(3);
      if (m.group(2).equals("expire after")) {
        expire = millis(m.group(3));
        if (expire <= 0) {
          diagnostics.add(
              Diagnostic.error(
                  source,
                  new Span(line, start + 1, Math.max(1, m.group(3).length())),
                  "'" + m.group(3).strip() + "' is not a positive duration",
                  "write a number and a unit: 500ms, 30s, 10m, 2h or 1d"));
          expire = 0;
        }
        continue;
      }
      for (Matcher name = NAME.matcher(m.group(3)); name.find(); ) {
        int column = start + name.start() + 1;
        String value = name.group();
        if (m.group(2).equals("alerts of")) {
          if (!alertsOf.contains(value)) {
            alertsOf.add(value);
          }
        } else if (m.group(2).equals("streams")) {
          if (known != null && !known.containsKey(value)) {
            diagnostics.add(
                Diagnostic.error(
                    source,
                    new Span(line, column, value.length()),
                    "unknown stream '" + value + "'",
                    Suggestions.didYouMean(
                        value, known.keySet(), "declare it in a .vgl file checked together")));
          } else if (!streams.contains(value)) {
            streams.add(value);
          }
        } else {
          keys.add(value);
          keyColumns.add(column);
          keyLine = line;
        }
      }
    }
    if (streams.isEmpty() && diagnostics.stream().noneMatch(Diagnostic::isError)) {
      diagnostics.add(
          Diagnostic.error(
              source,
              Span.at(1, 1),
              "a DRL rule set must name the streams it reads",
              "add a line `// vigil: streams payments` (comma-separated stream names)"));
    }
    if (!alertsOf.isEmpty() && expire == 0) {
      diagnostics.add(
          Diagnostic.error(
              source,
              Span.at(1, 1),
              "a rule set that reads the alerts of pattern rules keeps them as facts",
              "add a line `// vigil: expire after 10m` (how long a fact is kept)"));
    }
    for (int k = 0; known != null && k < keys.size(); k++) {
      for (String stream : streams) {
        if (known.get(stream).field(keys.get(k)).isEmpty()) {
          diagnostics.add(
              Diagnostic.error(
                  source,
                  new Span(keyLine, keyColumns.get(k), keys.get(k).length()),
                  "stream " + stream + " has no field '" + keys.get(k) + "' to partition by",
                  "partition by fields that every stream read has"));
        }
      }
    }
    return new DecisionHeader(streams, keys, expire, alertsOf);
  }
}
