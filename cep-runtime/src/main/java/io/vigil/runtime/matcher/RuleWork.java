package io.vigil.runtime.matcher;

import io.vigil.compiler.event.Event;
import io.vigil.runtime.matcher.state.WaitingMatches;
import io.vigil.runtime.rules.RuleFamily;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.flink.cep.nfa.ComputationState;
import org.apache.flink.cep.nfa.NFAState;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBufferAccessor;

/**
 * One rule generation's state while one key is drained: its NFA state on the key, one shared-buffer
 * accessor for the whole drain, and what the drain has learnt about it (how far it advanced, when
 * it can next time out, which partial matches' events it has read). Created on the rule's first use
 * in the drain, closed at its end.
 */
final class RuleWork {

  /**
   * Trim a rule's shared-buffer event counters on a key after this many NFA steps there, not after
   * every drain that stepped it. The counters (events per timestamp, to number events) only need
   * entries above the watermark; older ones are garbage, and removing them is all such a trim does.
   * On RocksDB each trim is three iterator seeks, which at every stepped drain were most of the
   * matcher's time; deferred, a (rule, key) keeps at most this many stale counters (a rule that
   * leaves the key is trimmed at once).
   */
  static final int TRIM_EVERY = 16;

  final RuleRuntime runtime;
  final NFAState state;
  final boolean draining;
  final int livePartialMatchesBefore;

  /** The latest time {@code advanceTime} ran to in this drain. */
  long advancedTo = Long.MIN_VALUE;

  /** NFA steps since the shared buffer's event counters were last trimmed (see TRIM_EVERY). */
  int untrimmedSteps;

  /** Calls of {@link #changed} during this drain. */
  int changes;

  /**
   * {@link #changes} when this drain last put the rule in the key's wake index; -1 if it did not.
   * The index entry is still valid at the end of the drain iff no change came after it.
   */
  int indexedAt = -1;

  /** Partial matches the cap dropped in this drain. */
  int dropped;

  /**
   * Events of the partial matches the no-op test has read, while the NFA has not stepped: a partial
   * match that waits across many events is read from the shared buffer once.
   */
  final Map<ComputationState, Map<String, List<Event>>> matchedEvents = new IdentityHashMap<>(2);

  /**
   * {@link RuleRuntime#timeoutHorizon} of the state as it is now, or {@code null} after anything
   * that may have changed it.
   */
  private Long horizon;

  /**
   * A family's waiting matches on the key (see {@link FinalStages}), numbered for its current
   * members, taken from the key's state when the work is created and kept there when the drain
   * ends; null for a rule on its own.
   */
  final WaitingMatches waiters;

  /** Whether {@link #waiters} changed since they were read. */
  boolean waitersChanged;

  /**
   * One shared-buffer accessor for the whole drain of this key: its close flushes the buffer's
   * cache to keyed state, which is needed once per key and timer, not once per event.
   */
  private SharedBufferAccessor<Event> accessor;

  /**
   * @param draining a previous version letting its partial matches finish: its start states are
   *     removed at once, so that it begins no new match
   * @param waiting a family's waiting matches on the key, or null when it has none there
   */
  RuleWork(RuleRuntime runtime, NFAState state, boolean draining, WaitingMatches waiting)
      throws Exception {
    this.runtime = runtime;
    this.state = state;
    RuleFamily family = runtime.family();
    if (family == null || !family.splitsFinalStage()) {
      this.waiters = null;
    } else {
      this.waiters = waiting != null ? waiting : new WaitingMatches(family.memberStateIds());
      this.waitersChanged = waiters.forMembers(family.memberStateIds());
    }
    this.livePartialMatchesBefore = liveCount();
    this.draining = draining;
    if (draining && stopStarting(state)) {
      changed();
    }
  }

  long horizon() {
    if (horizon == null) {
      long h = runtime.timeoutHorizon(state);
      if (waiters != null) {
        h = Math.min(h, FinalStages.horizon(runtime.family(), waiters));
      }
      horizon = h;
    }
    return horizon;
  }

  /** The NFA state may have changed: what was derived from it is stale. */
  void changed() {
    horizon = null;
    matchedEvents.clear();
    changes++;
  }

  SharedBufferAccessor<Event> accessor() {
    if (accessor == null) {
      accessor = runtime.buffer.getAccessor();
    }
    return accessor;
  }

  void closeAccessor() throws Exception {
    if (accessor != null) {
      accessor.close();
      accessor = null;
    }
  }

  /** Partial matches past their first event (a start state holds none), waiters included. */
  int liveCount() {
    return liveCount(state) + (waiters == null ? 0 : waiters.count());
  }

  /**
   * Whether the rule may leave the key: only the start state is left (same as no state, as {@code
   * CepOperator} sees it), or, for a draining version (which has no start state), no partial match
   * at all; and no completed match waits for its events to be freed.
   */
  boolean done() {
    boolean empty = draining ? liveCount(state) == 0 : state.getPartialMatches().size() == 1;
    return empty && state.getCompletedMatches().isEmpty() && (waiters == null || waiters.isEmpty());
  }

  static int liveCount(NFAState state) {
    int count = 0;
    for (ComputationState cs : state.getPartialMatches()) {
      if (cs.getPreviousBufferEntry() != null) {
        count++;
      }
    }
    return count;
  }

  /**
   * Removes the start states: the NFA continues its partial matches but begins no new one.
   *
   * @return whether there were any
   */
  static boolean stopStarting(NFAState state) {
    boolean hasStart = false;
    for (ComputationState cs : state.getPartialMatches()) {
      hasStart |= cs.getPreviousBufferEntry() == null;
    }
    if (hasStart) {
      PriorityQueue<ComputationState> rest =
          new PriorityQueue<>(NFAState.COMPUTATION_STATE_COMPARATOR);
      for (ComputationState cs : state.getPartialMatches()) {
        if (cs.getPreviousBufferEntry() != null) {
          rest.add(cs);
        }
      }
      state.setNewPartialMatches(rest);
      state.setStateChanged();
    }
    return hasStart;
  }
}
