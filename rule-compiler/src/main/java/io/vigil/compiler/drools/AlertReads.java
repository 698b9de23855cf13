package io.vigil.compiler.drools;

import io.vigil.dsl.diagnostic.Diagnostic;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.diagnostic.Span;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which DRL rule sets read the alerts of which ({@code // vigil: alerts of}), and the two ways a
 * reading can be wrong among stateful rule sets:
 *
 * <ul>
 *   <li>a <b>cycle</b>: a rule set that reads its own alerts, directly or through a chain ({@code
 *       a} reads {@code b}, {@code b} reads {@code a}) would feed on what it raises for ever;
 *   <li>a <b>partition mismatch</b>: the alerts of a stateful rule set reach the rule sets that
 *       read them inside the sessions of their own key, so a reader must partition by the same
 *       fields as the stateful rule set it reads.
 * </ul>
 *
 * The runtime refuses a rule set that would introduce either (the rule sets already running go on);
 * {@code vigil check} reports them at the name in the directive ({@link #check}).
 */
public final class AlertReads {

  private static final Pattern ALERTS_OF =
      Pattern.compile("^\\s*//\\s*vigil:\\s*alerts of\\s*(.*)$");

  private AlertReads() {}

  /**
   * Why the stateful rule set {@code id} with {@code header} cannot run beside {@code others} (the
   * other stateful rule sets, by id); empty when it can.
   */
  public static Optional<String> refusal(
      String id, DecisionHeader header, Map<String, DecisionHeader> others) {
    Map<String, DecisionHeader> all = new LinkedHashMap<>(others);
    all.put(id, header);
    Optional<List<String>> cycle = cycle(id, all);
    if (cycle.isPresent()) {
      return Optional.of(
          "rule set "
              + id
              + " would read its own alerts: "
              + String.join(" -> ", cycle.get())
              + " (each reads the alerts of the next)");
    }
    for (String written : header.alertsOf()) {
      DecisionHeader writer = others.get(written);
      if (writer != null && !writer.keyFields().equals(header.keyFields())) {
        return Optional.of(mismatch(id, header, written, writer));
      }
    }
    for (Map.Entry<String, DecisionHeader> reader : others.entrySet()) {
      if (reader.getValue().alertsOf().contains(id)
          && !reader.getValue().keyFields().equals(header.keyFields())) {
        return Optional.of(mismatch(reader.getKey(), reader.getValue(), id, header));
      }
    }
    return Optional.empty();
  }

  private static String mismatch(
      String reader, DecisionHeader readerHeader, String writer, DecisionHeader writerHeader) {
    return "rule set "
        + reader
        + " partitions by ("
        + String.join(", ", readerHeader.keyFields())
        + ") but reads the alerts of the stateful rule set "
        + writer
        + ", which partitions by ("
        + String.join(", ", writerHeader.keyFields())
        + "); a rule set reading a stateful rule set's alerts partitions by the same fields";
  }

  /**
   * The chain by which {@code id} reads its own alerts ({@code [a, b, a]}: a reads b's, b reads
   * a's), following {@code alerts of} among {@code headers}; empty when there is none.
   */
  static Optional<List<String>> cycle(String id, Map<String, DecisionHeader> headers) {
    List<String> path = new ArrayList<>(List.of(id));
    return walk(id, headers, path, new ArrayList<>()) ? Optional.of(path) : Optional.empty();
  }

  private static boolean walk(
      String id, Map<String, DecisionHeader> headers, List<String> path, List<String> visited) {
    String at = path.get(path.size() - 1);
    DecisionHeader header = headers.get(at);
    if (header == null) {
      return false;
    }
    for (String read : header.alertsOf()) {
      path.add(read);
      if (read.equals(id)) {
        return true;
      }
      if (!visited.contains(read)) {
        visited.add(read);
        if (walk(id, headers, path, visited)) {
          return true;
        }
      }
      path.remove(path.size() - 1);
    }
    return false;
  }

  /**
   * The refusals among the stateful rule sets checked together (by rule id: the file name without
   * {@code .drl}), each at its {@code alerts of} directive.
   */
  public static List<Diagnostic> check(Map<String, SourceFile> sources) {
    Map<String, DecisionHeader> headers = new LinkedHashMap<>();
    sources.forEach(
        (id, source) -> {
          DecisionHeader header = DecisionHeader.parse(source.text());
          if (header.stateful()) {
            headers.put(id, header);
          }
        });
    List<Diagnostic> out = new ArrayList<>();
    for (Map.Entry<String, DecisionHeader> entry : headers.entrySet()) {
      if (entry.getValue().alertsOf().isEmpty()) {
        continue;
      }
      Map<String, DecisionHeader> others = new LinkedHashMap<>(headers);
      others.remove(entry.getKey());
      String id = entry.getKey();
      DecisionHeader header = entry.getValue();
      Optional<List<String>> cycle = cycle(id, headers);
      Optional<String> problem = Optional.empty();
      String read = null;
      if (cycle.isPresent()) {
        read = cycle.get().get(1);
        problem = refusal(id, header, others);
      } else {
        for (String written : header.alertsOf()) {
          DecisionHeader writer = others.get(written);
          if (writer != null && !writer.keyFields().equals(header.keyFields())) {
            read = written;
            problem = Optional.of(mismatch(id, header, written, writer));
            break;
          }
        }
      }
      if (problem.isPresent()) {
        out.add(
            Diagnostic.error(
                sources.get(id),
                spanOf(sources.get(id), read),
                problem.get(),
                cycle.isPresent()
                    ? "remove one rule set of the chain from an `// vigil: alerts of` line"
                    : "partition both rule sets by the same fields"));
      }
    }
    return out;
  }

  /** Where {@code name} is written in the source's {@code alerts of} lines. */
  private static Span spanOf(SourceFile source, String name) {
    List<String> lines = source.text().lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = ALERTS_OF.matcher(lines.get(i));
      if (m.matches()) {
        Matcher word = Pattern.compile("\\b" + Pattern.quote(name) + "\\b").matcher(m.group(1));
        if (word.find()) {
          return new Span(i + 1, m.start(1) + word.start() + 1, name.length());
        }
      }
    }
    return Span.at(1, 1);
  }
}
