package io.vigil.runtime.matcher;

import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.rules.MatchingRule;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * every member that runs in the family ({@link #ofFamily}, {@link #passOnTo}): events evaluated,
 * evaluation time and skipped steps (the family's shared work is each member's evaluation), partial
 * matches dropped by the cap, and live partial matches. So each rule keeps its own {@code
 * rule=<id>} figures whether or not it shares its work; a member's matches, alerts and latency are
 * its own. A member's figure is read, not kept up to date: its own count plus what each family it
 * runs in counted since it joined, plus what the families it left counted while it was in them
 * (counting on 200 members per evaluated event took a fifth of the matcher's time).
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

  /** The figures a family passes on to its members (their counts are kept by ordinal). */
  private enum Figure {
    EVENTS_EVALUATED,
    DROPPED_BY_CAP,
    EVALUATION_NANOS,
    STEPS_SKIPPED,
    LIVE_PARTIAL_MATCHES
  }

  private static final int FIGURES = Figure.values().length;

  private final Figures figures = new Figures();

  private final MetricGroup group;

  private Supplier<MatchingRule> running;
  private LongSupplier lastSource;
  private long lastSeenFailures;
  private long retiredFailures;
  private boolean cutsRegistered;
  private LongSupplier lastCutSource;
  private long lastSeenCuts;
  private long retiredCuts;

  /** The members a family's figures go to (a family's metrics only; guarded by this). */
  private List<RuleMetrics> members = List.of();

  RuleMetrics(MetricGroup parent, String ruleId) {
    this(parent, "rule", ruleId);
  }

  /**
   * A family's metrics, under {@code family=<id>}, passed on to the members {@link #passOnTo} names
   * (they change as rules join and leave the family).
   */
  static RuleMetrics ofFamily(MetricGroup parent, String familyId) {
    return new RuleMetrics(parent, "family", familyId);
  }

  private RuleMetrics(MetricGroup parent, String kind, String id) {
    group = parent.addGroup(kind, id);
    eventsEvaluated = group.counter("eventsEvaluated", new Counted(Figure.EVENTS_EVALUATED));
    matches = group.counter("matches");
    timeouts = group.counter("timeouts");
    droppedByCap = group.counter("droppedByCap", new Counted(Figure.DROPPED_BY_CAP));
    evaluationNanos = group.counter("evaluationNanos", new Counted(Figure.EVALUATION_NANOS));
    stepsSkipped = group.counter("stepsSkipped", new Counted(Figure.STEPS_SKIPPED));
    group.gauge("livePartialMatches", () -> figures.read(Figure.LIVE_PARTIAL_MATCHES));
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
    figures.add(Figure.LIVE_PARTIAL_MATCHES, delta);
  }

  /**
   * A family's figures go to {@code members} from now on: a member that leaves keeps what the
   * family counted while it was in, one that joins takes what it counts from now.
   */
  synchronized void passOnTo(List<RuleMetrics> newMembers) {
    for (RuleMetrics member : members) {
      if (!newMembers.contains(member)) {
        member.figures.leave(this);
      }
    }
    for (RuleMetrics member : newMembers) {
      if (!members.contains(member)) {
        member.figures.join(this);
      }
    }
    members = List.copyOf(newMembers);
  }

  /**
   * The figures of one rule or family: its own counts, and for a member what its families counted
   * while it was in them. Counting is the task thread's alone; reporters read from their own.
   */
  private static final class Figures {
    private final long[] own = new long[FIGURES];

    /** Per family the member is in: the family's own figures when it joined (guarded by this). */
    private final Map<RuleMetrics, long[]> joined = new HashMap<>();

    /** What the families it left counted while it was in them (guarded by this). */
    private final long[] fromFormerFamilies = new long[FIGURES];

    void add(Figure figure, long n) {
      own[figure.ordinal()] += n;
    }

    synchronized void join(RuleMetrics family) {
      joined.putIfAbsent(family, family.figures.own.clone());
    }

    synchronized void leave(RuleMetrics family) {
      long[] at = joined.remove(family);
      if (at != null) {
        for (int i = 0; i < FIGURES; i++) {
          fromFormerFamilies[i] += family.figures.own[i] - at[i];
        }
      }
    }

    synchronized long read(Figure figure) {
      int i = figure.ordinal();
      long total = own[i] + fromFormerFamilies[i];
      for (Map.Entry<RuleMetrics, long[]> e : joined.entrySet()) {
        total += e.getKey().figures.own[i] - e.getValue()[i];
      }
      return total;
    }
  }

  /** A counter of one of the {@link Figures}: a member's reads what its families counted too. */
  private final class Counted implements Counter {
    private final Figure figure;

    Counted(Figure figure) {
      this.figure = figure;
    }

    @Override
    public void inc() {
      figures.add(figure, 1);
    }

    @Override
    public void inc(long n) {
      figures.add(figure, n);
    }

    @Override
    public void dec() {
      figures.add(figure, -1);
    }

    @Override
    public void dec(long n) {
      figures.add(figure, -n);
    }

    @Override
    public long getCount() {
      return figures.read(figure);
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
    passOnTo(List.of());
    if (group instanceof AbstractMetricGroup<?> runtimeGroup) {
      runtimeGroup.close();
    }
  }
}
