package io.vigil.samples.groundtruth;

import io.vigil.runtime.alert.Alert;
import io.vigil.samples.generate.Incident;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Precision and recall of each rule against labelled incidents. An alert is a true positive when it
 * finds an incident of its rule (same key, overlapping span: see {@link Incident}); recall is the
 * share of a rule's incidents that at least one alert found. Several alerts of one incident (a rule
 * that reports every overlapping match) all count as true positives.
 */
public record Scorecard(List<Row> rows) {

  /** One rule's figures. */
  public record Row(String rule, int alerts, int truePositives, int incidents, int found) {
    /** Share of the rule's alerts that belong to a planted incident; 1 when it raised none. */
    public double precision() {
      return alerts == 0 ? 1.0 : (double) truePositives / alerts;
    }

    /** Share of the rule's planted incidents that it found; 1 when none was planted. */
    public double recall() {
      return incidents == 0 ? 1.0 : (double) found / incidents;
    }
  }

  public static Scorecard of(Collection<String> rules, List<Alert> alerts, List<Incident> labels) {
    TreeSet<String> names = new TreeSet<>(rules);
    labels.forEach(l -> names.add(l.rule()));
    Map<String, Row> rows = new TreeMap<>();
    for (String rule : names) {
      List<Alert> raised = alerts.stream().filter(a -> a.ruleId().equals(rule)).toList();
      List<Incident> planted = labels.stream().filter(l -> l.rule().equals(rule)).toList();
      int truePositives = 0;
      for (Alert alert : raised) {
        if (planted.stream().anyMatch(i -> finds(alert, i))) {
          truePositives++;
        }
      }
      int found = 0;
      for (Incident incident : planted) {
        if (raised.stream().anyMatch(a -> finds(a, incident))) {
          found++;
        }
      }
      rows.put(rule, new Row(rule, raised.size(), truePositives, planted.size(), found));
    }
    return new Scorecard(List.copyOf(rows.values()));
  }

  static boolean finds(Alert alert, Incident incident) {
    if (!alert.ruleId().equals(incident.rule())) {
      return false;
    }
    for (Map.Entry<String, Object> e : incident.key().entrySet()) {
      Object value = alert.key().get(e.getKey());
      if (value == null || !Objects.equals(String.valueOf(value), String.valueOf(e.getValue()))) {
        return false;
      }
    }
    return alert.startTime() <= incident.to().toEpochMilli()
        && alert.endTime() >= incident.from().toEpochMilli();
  }

  /** The table as Markdown, one row a rule. */
  public String markdown() {
    List<String> lines = new ArrayList<>();
    lines.add("| rule | planted | found | alerts | true positives | precision | recall |");
    lines.add("|---|---:|---:|---:|---:|---:|---:|");
    for (Row r : rows) {
      lines.add(
          "| %s | %d | %d | %d | %d | %.0f %% | %.0f %% |"
              .formatted(
                  r.rule(),
                  r.incidents(),
                  r.found(),
                  r.alerts(),
                  r.truePositives(),
                  100 * r.precision(),
                  100 * r.recall()));
    }
    return String.join("\n", lines) + "\n";
  }
}
