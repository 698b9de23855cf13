package io.vigil.console.rules.figures;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the Prometheus text exposition format (version 0.0.4), as Flink's reporter serves it.
 *
 * <p>{@code flink_x_rule_matches{rule="card_testing",subtask_index="1",} 3.0} gives the sample
 * named {@code flink_x_rule_matches} with labels {@code rule=card_testing, subtask_index=1} and
 * value 3. Comment and {@code # HELP}/{@code # TYPE} lines are skipped; a line that is not a sample
 * is skipped too (one bad line does not hide the others).
 */
final class PrometheusText {

  record Sample(String name, Map<String, String> labels, double value) {}

  private PrometheusText() {}

  static List<Sample> parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      try {
        samples.add(sample(l));
      } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
        // Not a sample line: skipped.
      }
    }
    return samples;
  }

  private static Sample sample(String line) {
    int at = 0;
    while (at < line.length() && line.charAt(at) != '{' && line.charAt(at) != ' ') {
      at++;
    }
    String name = line.substring(0, at);
    if (name.isEmpty()) {
      throw new IllegalArgumentException("no name");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (at < line.length() && line.charAt(at) == '{') {
      at++;
      while (true) {
        while (line.charAt(at) == ' ' || line.charAt(at) == ',') {
          at++;
        }
        if (line.charAt(at) == '}') {
          at++;
          break;
        }
        int eq = line.indexOf('=', at);
        String label = line.substring(at, eq).strip();
        at = eq + 1;
        if (line.charAt(at) != '"') {
          throw new IllegalArgumentException("unquoted label value");
        }
        at++;
        StringBuilder value = new StringBuilder();
        while (line.charAt(at) != '"') {
          char c = line.charAt(at);
          if (c == '\\') {
            char next = line.charAt(at + 1);
            value.append(next == 'n' ? '\n' : next);
            at += 2;
          } else {
            value.append(c);
            at++;
          }
        }
        at++;
        labels.put(label, value.toString());
      }
    }
    String[] rest = line.substring(at).strip().split("\\s+");
    return new Sample(name, labels, number(rest[0]));
  }

  private static double number(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }
}
