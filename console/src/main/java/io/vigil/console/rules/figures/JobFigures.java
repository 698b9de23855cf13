package io.vigil.console.rules.figures;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the pages show of the job's per-rule figures: read from the configured endpoints, or why
 * not.
 *
 * @param configured whether any endpoint is configured
 * @param rules figures per rule id, from every endpoint that answered
 * @param problems one line per endpoint that could not be read
 * @param endpoints how many endpoints are configured
 * @param readAt when the endpoints were read
 */
public record JobFigures(
    boolean configured,
    Map<String, RuleFigures> rules,
    List<String> problems,
    int endpoints,
    Instant readAt) {

  public static JobFigures notConfigured(Instant at) {
    return new JobFigures(false, Map.of(), List.of(), 0, at);
  }

  /** Some endpoint answered. */
  public boolean available() {
    return configured && problems.size() < endpoints;
  }

  public Optional<RuleFigures> rule(String id) {
    return Optional.ofNullable(rules.get(id));
  }

  /** The sentence a page shows when the figures are missing or partial; empty when all is well. */
  public String notice() {
    if (!configured) {
      return "Runtime figures are not configured: set vigil.console.job-metrics.endpoints to the"
          + " job's Prometheus endpoints.";
    }
    if (problems.isEmpty()) {
      return "";
    }
    String which = String.join("; ", problems);
    return available()
        ? "Runtime figures are partial: " + which
        : "Runtime figures are unavailable: the job's metrics endpoints cannot be read: " + which;
  }
}
