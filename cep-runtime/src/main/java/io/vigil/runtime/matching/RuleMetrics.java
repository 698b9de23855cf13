package io.vigil.runtime.matching;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.groups.AbstractMetricGroup;

/**
 * Flink metrics of one rule in one parallel instance, under the metric group {@code rule=<id>}.
 * {@code livePartialMatches} follows the changes this instance made since it started (it is not
 * checkpointed: after a restore it counts from zero). The group lives while some version of the
 * rule runs in the instance: {@link #close} unregisters it when the rule is disabled or deleted.
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

  private final MetricGroup group;

  RuleMetrics(MetricGroup parent, String ruleId) {
    group = parent.addGroup("rule", ruleId);
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

  /**
   * Unregisters the rule's metrics from every reporter, so that a long-running job does not keep
   * (and export) the series of every rule it ever ran. Flink's public {@code MetricGroup} cannot
   * remove a group; the runtime's groups can be closed, and a later group of the same name (the
   * rule enabled again) replaces a closed one. Other groups (an operator test harness's
   * unregistered ones) have nothing to unregister.
   */
  void close() {
    if (group instanceof AbstractMetricGroup<?> runtimeGroup) {
      runtimeGroup.close();
    }
  }
}
