package io.vigil.runtime.matcher.skip;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.apache.flink.cep.nfa.ComputationState;
import org.apache.flink.cep.nfa.NFA;
import org.apache.flink.cep.nfa.NFAState;
import org.apache.flink.cep.nfa.State;
import org.apache.flink.cep.nfa.StateTransition;
import org.apache.flink.cep.nfa.StateTransitionAction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBufferAccessor;
import org.apache.flink.cep.time.TimerService;

/**
 * Steps only the start state when {@link NoOpSteps} proves that every other partial match stays as
 * it is ({@link NoOpSteps.Step#START_ONLY}): an event that starts a new match on a key where
 * hundreds wait for something else. Flink would step each waiting partial match too (a decision
 * graph, a new equal computation state, a lock and a release of its buffer node) and then look up
 * every one of them in the new queue, which is quadratic in the partial matches.
 *
 * <p>Exact when the pattern cannot complete a match in the step that starts it ({@link #applies}):
 * {@code NFA.doProcess} then finds no match, and its result is the queue it builds by inserting, in
 * the old queue's order, each waiting partial match (unchanged) and, where the start state was,
 * what the start state became. This class runs the NFA on the start state alone and rebuilds
 * exactly that queue, in the same insertion order, so even the heap's layout is the same.
 */
public final class StartSteps {

  private StartSteps() {}

  /**
   * Whether no step from a start state can reach the final state: every TAKE from a start state (or
   * a state its PROCEED edges reach) leads to a state from which no PROCEED path reaches the final
   * state.
   */
  public static <T> boolean applies(NFA<T> nfa) {
    for (State<T> state : nfa.getStates()) {
      if (!state.isStart()) {
        continue;
      }
      for (State<T> from : proceedClosure(state)) {
        for (StateTransition<T> t : from.getStateTransitions()) {
          if (t.getAction() == StateTransitionAction.TAKE
              && proceedClosure(t.getTargetState()).stream().anyMatch(State::isFinal)) {
            return false;
          }
        }
      }
    }
    return true;
  }

  private static <T> Set<State<T>> proceedClosure(State<T> state) {
    Set<State<T>> seen = new HashSet<>();
    Deque<State<T>> todo = new ArrayDeque<>();
    todo.add(state);
    while (!todo.isEmpty()) {
      State<T> s = todo.poll();
      if (seen.add(s)) {
        for (StateTransition<T> t : s.getStateTransitions()) {
          if (t.getAction() == StateTransitionAction.PROCEED) {
            todo.add(t.getTargetState());
          }
        }
      }
    }
    return seen;
  }

  /**
   * {@code nfa.process} of {@code event} on {@code state}, stepping only its start state (the
   * caller has {@link NoOpSteps#step} = START_ONLY, and {@link #applies}).
   *
   * @return the matches (always none, see {@link #applies})
   */
  public static <T> Collection<Map<String, List<T>>> process(
      NFA<T> nfa,
      SharedBufferAccessor<T> accessor,
      NFAState state,
      T event,
      long timestamp,
      AfterMatchSkipStrategy skip,
      TimerService timers)
      throws Exception {
    ComputationState start = null;
    for (ComputationState cs : state.getPartialMatches()) {
      if (cs.getPreviousBufferEntry() == null) {
        start = cs;
        break;
      }
    }
    PriorityQueue<ComputationState> alone =
        new PriorityQueue<>(NFAState.COMPUTATION_STATE_COMPARATOR);
    alone.add(start);
    NFAState startOnly =
        new NFAState(alone, new PriorityQueue<>(NFAState.COMPUTATION_STATE_COMPARATOR));
    Collection<Map<String, List<T>>> matches =
        nfa.process(accessor, startOnly, event, timestamp, skip, timers);
    if (!matches.isEmpty() || !startOnly.getCompletedMatches().isEmpty()) {
      throw new IllegalStateException("a start step completed a match: the pattern was misjudged");
    }
    PriorityQueue<ComputationState> next =
        new PriorityQueue<>(NFAState.COMPUTATION_STATE_COMPARATOR);
    for (ComputationState cs : state.getPartialMatches()) {
      if (cs == start) {
        // What the start state became, in the order the NFA produced it (a queue built from one
        // start state keeps its insertion order: the new partial matches tie, the start is last).
        next.addAll(startOnly.getPartialMatches());
      } else {
        next.add(cs);
      }
    }
    state.setNewPartialMatches(next);
    if (startOnly.isStateChanged()) {
      state.setStateChanged();
    }
    if (startOnly.isNewStartPartialMatch()) {
      state.setNewStartPartiailMatch();
    }
    return matches;
  }
}
