package io.vigil.console.rules.figures;

import java.util.Optional;

/**
 * One rule's figures in the running job, summed over its subtasks (counters count since the rule
 * was last published or the job last started; docs/runtime.md, "Metrics").
 *
 * @param matches alerts of complete matches
 * @param timeouts alerts of timed-out partial matches
 * @param partialMatches partial matches alive now
 * @param eventsEvaluated events the rule's pattern evaluated
 * @param evaluationNanos time spent evaluating them
 * @param latencyMedianMs detection latency, median (the highest of the subtasks' medians)
 * @param latencyP99Ms detection latency, 99th percentile (the highest of the subtasks')
 */
public record RuleFigures(
    long matches,
    long timeouts,
    long partialMatches,
    long eventsEvaluated,
    long evaluationNanos,
    Optional<Double> latencyMedianMs,
    Optional<Double> latencyP99Ms) {

  /** Mean evaluation time per event, in microseconds. */
  public Optional<Double> microsPerEvent() {
    return eventsEvaluated == 0
        ? Optional.empty()
        : Optional.of(evaluationNanos / 1000.0 / eventsEvaluated);
  }
}
