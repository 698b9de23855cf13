package io.vigil.console.rules.testing;

import io.vigil.runtime.alert.Alert;
import java.util.List;

/**
 * What a rule raised on bounded input.
 *
 * @param problems dead letters and late events, one line each, as {@code vigil run} reports them
 * @param events the number of event lines read
 * @param millis wall-clock time of the run
 */
public record TestRunResult(
    List<Alert> alerts, List<String> problems, int deadLetters, int late, int events, long millis) {

  public TestRunResult {
    alerts = List.copyOf(alerts);
    problems = List.copyOf(problems);
  }

  /** Each alert as a comparable line: kind, key and message (what a saved test case expects). */
  public List<String> signatures() {
    return alerts.stream().map(TestRunResult::signature).sorted().toList();
  }

  static String signature(Alert alert) {
    return alert.kind() + " " + alert.key() + " " + alert.message();
  }
}
