package io.vigil.runtime.matcher;

import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.rules.MatchingRule;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.metrics.groups.AbstractMetricGroup;

/**
 * Flink metrics of one rule in one parallel instance, under the metric group {@code rule=<id>}.
 * {@code livePartialMatches} follows the changes this instance made since it started (it is not
 * checkpointed: after a restore it counts from zero). The group lives while some version of the
 * rule runs in the instance: {@link #close} unregisters it when the rule is disabled or deleted.
 *
 * <p>{@code detectionLatencyMs} is the detection latency of each alert the rule emitted, in
 * milliseconds: the alert's {@code detectedAt} (wall clock when the matcher emitted it) minus its
 * {@code endTime} (the event time of the last matched event; for a timeout, the time at which the
 * partial match timed out). Both are fields of the alert, so a consumer can recompute it. It covers
 * the way from the source to the broker, the wait for the watermark (the stream's lateness and
 * idleness) and the matching itself, but not the sink's transaction commit. An event time ahead of
 * the wall clock (a producer's clock skew) counts as 0. The histogram keeps the last {@value
 * #LATENCY_WINDOW} alerts of the rule in this instance.
 *
 * <p>{@code evaluationFailures} counts the rule's conditions and alert-template holes that failed
 * on an event (see {@code EvaluationFailures} of the rule compiler): the event did not match, or
 * the hole rendered {@code <error>}.
 *
 * <p>{@code drlEvaluationsCut} (DRL rule sets only, registered when one runs) counts the
 * evaluations the DRL limits cut, over every version, as {@code evaluationFailures} does.
 */
final class RuleMetrics {

  final Counter eventsEvaluated;
  final Counter matches;
  final Counter timeouts;
  final Counter droppedByCap;
  final Counter evaluationNanos;

  /** Events the rule evaluated whose NFA step was proven to change nothing (see NoOpSteps). */
  final Counter stepsSkipped;

  /** Detection latency in ms of the last {@value #LATENCY_WINDOW} alerts (see the class doc). */
  final Histogram detectionLatencyMs;

  static final int LATENCY_WINDOW = 512;

  private long livePartialMatches;

  private final MetricGroup group;

  private Supplier<MatchingRule> running;
  private LongSupplier lastSource;
  private long lastSeenFailures;
  private long retiredFailures;
  private boolean cutsRegistered;
  private LongSupplier lastCutSource;
  private long lastSeenCuts;
  private long retiredCuts;

  RuleMetrics(MetricGroup parent, String ruleId) {
    group = parent.addGroup("rule", ruleId);
    eventsEvaluated = group.counter("eventsEvaluated");
    matches = group.counter("matches");
    timeouts = group.counter("timeouts");
    droppedByCap = group.counter("droppedByCap");
    evaluationNanos = group.counter("evaluationNanos");
    stepsSkipped = group.counter("stepsSkipped");
    group.gauge("livePartialMatches", () -> livePartialMatches);
    group.gauge("evaluationFailures", this::evaluationFailures);
    detectionLatencyMs =
        group.histogram("detectionLatencyMs", new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
  }

  /** Records the detection latency of an alert the rule is about to emit. */
  void detected(Alert alert) {
    detectionLatencyMs.update(Math.max(0L, alert.detectedAt() - alert.endTime()));
  }

  /**
   * Counts the evaluation failures of whichever version {@code running} returns (read when the
   * gauge is reported, so that a version swapped in place is followed too).
   */
  synchronized void countEvaluationFailuresOf(Supplier<MatchingRule> running) {
    this.running = running;
    if (!cutsRegistered && running.get().evaluationsCut().isPresent()) {
      cutsRegistered = true;
      group.gauge("drlEvaluationsCut", this::evaluationsCut);
    }
  }

  /** Cut DRL evaluations of every version this instance ran, as {@link #evaluationFailures}. */
  synchronized long evaluationsCut() {
    LongSupplier source = running == null ? null : running.get().evaluationsCut().orElse(null);
    if (running != null && source != lastCutSource) {
      retiredCuts += lastSeenCuts;
      lastSeenCuts = 0;
      lastCutSource = source;
    }
    if (source != null) {
      lastSeenCuts = source.getAsLong();
    }
    return retiredCuts + lastSeenCuts;
  }

  /**
   * Failures of the conditions and templates of every version this instance ran since it started: a
   * version's own count restarts at zero, so the last count seen of each replaced version is kept.
   */
  synchronized long evaluationFailures() {
    if (running == null) {
      return retiredFailures + lastSeenFailures;
    }
    LongSupplier source = running.get().evaluationFailures().orElse(null);
    if (source != lastSource) {
      retiredFailures += lastSeenFailures;
      lastSeenFailures = 0;
      lastSource = source;
    }
    if (source != null) {
      lastSeenFailures = source.getAsLong();
    }
    return retiredFailures + lastSeenFailures;
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
