package io.vigil.compiler.drools;

import io.vigil.dsl.ast.Span;
import io.vigil.dsl.check.Suggestions;
import io.vigil.dsl.diagnostic.Diagnostic;
import io.vigil.dsl.diagnostic.SourceFile;
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
 * </pre>
 *
 * {@code streams} (required) names the declared streams whose events are the rule set's facts;
 * {@code partition by} (optional) names fields every one of them has: the alerts carry that key,
 * and events with the same key go to the same parallel instance.
 */
public record DecisionHeader(List<String> streams, List<String> keyFields) {

  private static final Pattern DIRECTIVE =
      Pattern.compile("^(\\s*//\\s*vigil:\\s*)(streams|partition by)?\\s*(.*)$");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

  public DecisionHeader {
    streams = List.copyOf(streams);
    keyFields = List.copyOf(keyFields);
  }

  /** Reads the header of {@code source}; problems go to {@code diagnostics}. */
  static DecisionHeader read(
      SourceFile source, Map<String, StreamSchema> known, List<Diagnostic> diagnostics) {
    List<String> streams = new ArrayList<>();
    List<String> keys = new ArrayList<>();
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
                "the directives are `// vigil: streams a, b` and `// vigil: partition by f`"));
        continue;
      }
      int start = m.start(3);
      for (Matcher name = NAME.matcher(m.group(3)); name.find(); ) {
        int column = start + name.start() + 1;
        String value = name.group();
        if (m.group(2).equals("streams")) {
          if (!known.containsKey(value)) {
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
    for (int k = 0; k < keys.size(); k++) {
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
    return new DecisionHeader(streams, keys);
  }
}
