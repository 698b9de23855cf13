package io.vigil.console.rules.testing;

import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.verify.AlertSignature;
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

  /**
   * Each alert as a comparable line, sorted: kind, key and message ({@link AlertSignature}, what a
   * saved test case and {@code vigil verify} expect).
   */
  public List<String> signatures() {
    return AlertSignature.of(alerts);
  }
}
