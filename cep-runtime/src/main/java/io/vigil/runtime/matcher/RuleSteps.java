package io.vigil.runtime.matcher;

import io.vigil.compiler.event.Event;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.alert.AlertLimits;
import io.vigil.runtime.matcher.skip.NoOpSteps;
import io.vigil.runtime.matcher.skip.StartSteps;
import io.vigil.runtime.rules.MatchingRule;
import io.vigil.runtime.rules.RuleFamily;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBufferAccessor;
import org.apache.flink.cep.time.TimerService;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.util.Collector;

/**
 * Drives one rule's NFA on the current key as {@code CepOperator} does: {@code advanceTime} before
 * each timestamp and at the watermark, {@code process} per event, alerts for its complete and
 * timed-out matches. Skips what provably changes nothing: a step that {@code NoOpSteps} proves a
 * no-op, and an {@code advanceTime} before the rule's {@linkplain RuleRuntime#timeoutHorizon
 * timeout horizon}.
 */
final class RuleSteps {

  private final InternalTimerService<VoidNamespace> timers;
  private final Collector<Alert> out;
  private final PartialMatchCap cap;
  private final AlertLimits alertLimits;
  private final TimerService cepTimers = System::currentTimeMillis;

  /** The metrics of a family's member (a family's own runtime counts the prefix's steps). */
  private final Function<MatchingRule, RuleMetrics> memberMetrics;

  /** Emits a family member's complete match as the member's alert. */
  private final FinalStages.Emitter memberEmitter;

  RuleSteps(
      InternalTimerService<VoidNamespace> timers,
      Collector<Alert> out,
      PartialMatchCap cap,
      AlertLimits alertLimits,
      Function<MatchingRule, RuleMetrics> memberMetrics) {
    this.timers = timers;
    this.out = out;
    this.cap = cap;
    this.alertLimits = alertLimits;
    this.memberMetrics = memberMetrics;
    this.memberEmitter =
        (member, match) ->
            emitMatches(member.rule(), memberMetrics.apply(member.rule()), List.of(match));
  }

  /**
   * {@code NFA.advanceTime} as CepOperator calls it: before each timestamp and at the watermark. It
   * is skipped when it cannot time anything out (see {@link RuleRuntime#timeoutHorizon}): on a hot
   * key with long windows that is almost every event. Then it would only rebuild the same queue,
   * find no completed match freed (nothing changed since the last call), and trim the shared
   * buffer's per-timestamp event counters; {@code trim} asks for the call anyway, when the NFA has
   * stepped since it last ran (only a step adds to those counters).
   */
  void advance(RuleWork w, long time, boolean trim) throws Exception {
    boolean due = time > w.advancedTo && time >= w.horizon();
    if (!due && !(trim && w.untrimmedSteps > 0)) {
      return;
    }
    w.advancedTo = Math.max(w.advancedTo, time);
    RuleRuntime runtime = w.runtime;
    w.changed();
    w.untrimmedSteps = 0;
    Tuple2<Collection<Map<String, List<Event>>>, Collection<Tuple2<Map<String, List<Event>>, Long>>>
        result =
            runtime.nfa.advanceTime(
                w.accessor(), w.state, time, runtime.rule().pattern().getAfterMatchSkipStrategy());
    matched(w, result.f0, Long.MAX_VALUE);
    if (w.waiters != null && FinalStages.prune(runtime.family(), w.waiters, time, memberEmitter)) {
      w.waitersChanged = true;
    }
    if (runtime.rule().handlesTimeout()) {
      for (Tuple2<Map<String, List<Event>>, Long> timedOut : result.f1) {
        runtime.metrics.timeouts.inc();
        emit(
            runtime.metrics,
            Alerts.of(
                runtime.rule(),
                Alert.Kind.TIMEOUT,
                timedOut.f0,
                timedOut.f1,
                System.currentTimeMillis(),
                alertLimits));
      }
    }
  }

  /**
   * Steps {@code event}, the key's event at position {@code order} among those of its time, through
   * the rule's NFA (a family: its members' waiting final stages first, then the prefix's NFA, then
   * what that frees of the members' completed matches); false when the step provably changed
   * nothing.
   */
  boolean process(RuleWork w, Event event, long t, long order) throws Exception {
    boolean stepped = step(w, event, t, order);
    if (stepped
        && w.waiters != null
        && FinalStages.settle(w.runtime.family(), w.waiters, memberEmitter)) {
      // What went out is released: a copy read from RocksDB must be written back.
      w.waitersChanged = true;
    }
    return stepped;
  }

  private boolean step(RuleWork w, Event event, long t, long order) throws Exception {
    RuleRuntime runtime = w.runtime;
    long started = System.nanoTime();
    boolean waitersStepped = false;
    if (w.waiters != null
        && FinalStages.step(runtime.family(), w.waiters, event, t, order, memberEmitter)) {
      w.waitersChanged = true;
      w.changed();
      waitersStepped = true;
    }
    SharedBufferAccessor<Event> accessor = w.accessor();
    AfterMatchSkipStrategy skip = runtime.rule().pattern().getAfterMatchSkipStrategy();
    NoOpSteps.Step step =
        runtime.noOpSteps.step(accessor, w.state, event, t, w.matchedEvents, skip.isSkipStrategy());
    if (step == NoOpSteps.Step.NONE) {
      // Exactly what the NFA would do (see NoOpSteps), minus the work.
      runtime.metrics.eventsEvaluated.inc();
      runtime.metrics.stepsSkipped.inc();
      runtime.metrics.evaluationNanos.inc(System.nanoTime() - started);
      return waitersStepped;
    }
    w.changed();
    w.untrimmedSteps++;
    Collection<Map<String, List<Event>>> matches =
        step == NoOpSteps.Step.START_ONLY && runtime.startStepsApply
            ? StartSteps.process(runtime.nfa, accessor, w.state, event, t, skip, cepTimers)
            : runtime.nfa.process(accessor, w.state, event, t, skip, cepTimers);
    if (runtime.nfa.getWindowTime() > 0 && w.state.isNewStartPartialMatch()) {
      if (runtime.stageWindows) {
        // Only the NFA knows when these expire: a timer per new partial match, as CepOperator.
        timers.registerEventTimeTimer(VoidNamespace.INSTANCE, t + runtime.nfa.getWindowTime());
      }
      w.state.resetNewStartPartialMatch();
    }
    cap.enforce(w, accessor);
    runtime.metrics.eventsEvaluated.inc();
    runtime.metrics.evaluationNanos.inc(System.nanoTime() - started);
    matched(w, matches, order);
    return true;
  }

  /**
   * Complete matches of the NFA: a rule's alerts, a condition family's matches (each its members'
   * alerts), or a final-stage family's prefix matches (waiters), completed by the key's event at
   * position {@code order} among those of its time.
   */
  private void matched(RuleWork w, Collection<Map<String, List<Event>>> matches, long order)
      throws Exception {
    if (matches.isEmpty()) {
      return;
    }
    RuleFamily family = w.runtime.family();
    if (family == null) {
      emitMatches(w.runtime.rule(), w.runtime.metrics, matches);
    } else if (!family.splitsFinalStage()) {
      // The NFA gives one event's matches in the order they began; with firstMatchOnly a member's
      // own NFA emits the first of those it takes and drops the rest.
      Set<String> took = family.firstMatchOnly() ? new HashSet<>() : null;
      for (Map<String, List<Event>> match : matches) {
        for (RuleFamily.Member member : family.membersOf(match)) {
          if (took == null || took.add(member.stateId())) {
            emitMatches(member.rule(), memberMetrics.apply(member.rule()), List.of(match));
          }
        }
      }
    } else if (FinalStages.started(family, w.waiters, matches, order)) {
      w.waitersChanged = true;
      w.changed();
    }
  }

  private void emitMatches(
      MatchingRule rule, RuleMetrics metrics, Collection<Map<String, List<Event>>> matches) {
    for (Map<String, List<Event>> match : matches) {
      if (rule.reportsMatches() && rule.having(match)) {
        metrics.matches.inc();
        for (Alert alert : Alerts.ofMatch(rule, match, System.currentTimeMillis(), alertLimits)) {
          emit(metrics, alert);
        }
      }
    }
  }

  private void emit(RuleMetrics metrics, Alert alert) {
    metrics.detected(alert);
    out.collect(alert);
  }
}
