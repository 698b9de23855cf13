package io.vigil.runtime.matching;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Flink metrics of one rule in one parallel instance, under the metric group {@code rule=<id>}.
 * {@code livePartialMatches} follows the changes this instance made since it started (it is not
 * checkpointed: after a restore it counts from zero).
 */
final class RuleMetrics {

  final Counter eventsEvaluated;
  final Counter matches;
  final Counter timeouts;
  final Counter droppedByCap;
  final Counter evaluationNanos;

  /** Events the rule evaluated whose NFA step was proven to change nothing (see NoOpSteps). */
  final Counter stepsSkipped;

  private long livePartialMatches;

  RuleMetrics(MetricGroup parent, String ruleId) {
    MetricGroup group = parent.addGroup("rule", ruleId);
    eventsEvaluated = group.counter("eventsEvaluated");
    matches = group.counter("matches");
    timeouts = group.counter("timeouts");
    droppedByCap = group.counter("droppedByCap");
    evaluationNanos = group.counter("evaluationNanos");
    stepsSkipped = group.counter("stepsSkipped");
    group.gauge("livePartialMatches", () -> livePartialMatches);
  }

  void livePartialMatchesChanged(long delta) {
    livePartialMatches += delta;
  }
}
