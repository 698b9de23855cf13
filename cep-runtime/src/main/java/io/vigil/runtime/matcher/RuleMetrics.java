package io.vigil.runtime.matcher;

import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.rules.MatchingRule;
import java.util.List;
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
 * <p>A rule family's metrics (group {@code family=<id>}) pass on what they count to the metrics of
 * every member that runs in the family ({@link #ofFamily}): events evaluated, evaluation time and
 * skipped steps (the family's shared work is each member's evaluation), partial matches dropped by
 * the cap, and live partial matches. So each rule keeps its own {@code rule=<id>} figures whether
 * or not it shares its work; a member's matches, alerts and latency are its own.
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

  private final Supplier<List<RuleMetrics>> passedOnTo;

  RuleMetrics(MetricGroup parent, String ruleId) {
    this(parent, "rule", ruleId, List::of);
  }

  /**
   * A family's metrics, under {@code family=<id>}, passed on to the metrics {@code members} gives
   * at the time of each update (the members change as rules join and leave the family).
   */
  static RuleMetrics ofFamily(
      MetricGroup parent, String familyId, Supplier<List<RuleMetrics>> members) {
    return new RuleMetrics(parent, "family", familyId, members);
  }

  private RuleMetrics(
      MetricGroup parent, String kind, String id, Supplier<List<RuleMetrics>> passedOnTo) {
    this.passedOnTo = passedOnTo;
    group = parent.addGroup(kind, id);
    eventsEvaluated = group.counter("eventsEvaluated", new Shared(m -> m.eventsEvaluated));
    matches = group.counter("matches");
    timeouts = group.counter("timeouts");
    droppedByCap = group.counter("droppedByCap", new Shared(m -> m.droppedByCap));
    evaluationNanos = group.counter("evaluationNanos", new Shared(m -> m.evaluationNanos));
    stepsSkipped = group.counter("stepsSkipped", new Shared(m -> m.stepsSkipped));
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
    for (RuleMetrics member : passedOnTo.get()) {
      member.livePartialMatchesChanged(delta);
    }
  }

  /** A counter of its own that also counts on the same counter of each member's metrics. */
  private final class Shared implements Counter {
    private final java.util.function.Function<RuleMetrics, Counter> same;
    private long count;

    Shared(java.util.function.Function<RuleMetrics, Counter> same) {
      this.same = same;
    }

    @Override
    public void inc() {
      inc(1);
    }

    @Override
    public void inc(long n) {
      count += n;
      for (RuleMetrics member : passedOnTo.get()) {
        same.apply(member).inc(n);
      }
    }

    @Override
    public void dec() {
      dec(1);
    }

    @Override
    public void dec(long n) {
      inc(-n);
    }

    @Override
    public long getCount() {
      return count;
    }
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
