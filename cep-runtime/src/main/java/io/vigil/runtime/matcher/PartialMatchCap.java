package io.vigil.runtime.matcher;

import io.vigil.compiler.event.Event;
import io.vigil.runtime.control.RuleStatus;
import io.vigil.runtime.rules.MatchingRule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.flink.cep.nfa.ComputationState;
import org.apache.flink.cep.nfa.NFAState;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBufferAccessor;

/**
 * The guard on partial matches per (rule, key) ({@code matcher.max-partial-matches}): beyond it the
 * oldest are dropped, counted ({@code droppedByCap}) and reported once per rule version and subtask
 * as a {@code FLAGGED} status. A cap of 0 means no cap.
 */
final class PartialMatchCap {

  private final int cap;
  private final Consumer<RuleStatus> statuses;
  private final int subtask;
  private final int parallelism;

  /** Rule versions already reported ({@code <rule>@<version>}). */
  private final Set<String> flagged = new HashSet<>();

  PartialMatchCap(int cap, Consumer<RuleStatus> statuses, int subtask, int parallelism) {
    this.cap = cap;
    this.statuses = statuses;
    this.subtask = subtask;
    this.parallelism = parallelism;
  }

  /**
   * Keeps at most the cap of live partial matches of the rule on this key: the oldest (by start
   * time) beyond it are dropped, their shared-buffer entries released.
   */
  void enforce(RuleWork w, SharedBufferAccessor<Event> accessor) throws Exception {
    // The NFA's own partial matches (a family's waiters are not capped).
    // The queue's size bounds the live count (it adds the start state): counted only above it.
    if (cap <= 0
        || w.state.getPartialMatches().size() <= cap
        || RuleWork.liveCount(w.state) <= cap) {
      return;
    }
    List<ComputationState> partial = new ArrayList<>();
    PriorityQueue<ComputationState> kept =
        new PriorityQueue<>(NFAState.COMPUTATION_STATE_COMPARATOR);
    for (ComputationState cs : new ArrayList<>(w.state.getPartialMatches())) {
      if (cs.getPreviousBufferEntry() == null) {
        kept.add(cs);
      } else {
        partial.add(cs);
      }
    }
    partial.sort(Comparator.comparingLong(ComputationState::getStartTimestamp).reversed());
    for (int i = 0; i < partial.size(); i++) {
      ComputationState cs = partial.get(i);
      if (i < cap) {
        kept.add(cs);
      } else {
        accessor.releaseNode(cs.getPreviousBufferEntry(), cs.getVersion());
        w.runtime.metrics.droppedByCap.inc();
        w.dropped++;
      }
    }
    w.state.setNewPartialMatches(kept);
    w.state.setStateChanged();
  }

  /**
   * Reports once per rule version and subtask that the cap dropped partial matches of {@code w}.
   */
  void reportDrops(RuleWork w, String key) {
    if (w.dropped == 0) {
      return;
    }
    MatchingRule rule = w.runtime.rule();
    if (flagged.add(rule.id() + "@" + rule.version())) {
      statuses.accept(
          new RuleStatus(
              rule.id(),
              rule.version(),
              subtask,
              parallelism,
              RuleStatus.State.FLAGGED,
              "more than "
                  + cap
                  + " partial matches on key "
                  + key.replace('\u001f', ' ')
                  + ": the oldest were dropped (metric droppedByCap)",
              System.currentTimeMillis()));
    }
  }
}
