package io.vigil.runtime.matcher.skip;

import io.vigil.compiler.pattern.StageRequirements;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.nfa.ComputationState;
import org.apache.flink.cep.nfa.NFA;
import org.apache.flink.cep.nfa.NFAState;
import org.apache.flink.cep.nfa.State;
import org.apache.flink.cep.nfa.StateTransition;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBufferAccessor;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;

/**
 * Proves, without stepping Flink's NFA, that {@code NFA.process(event)} would change nothing: no
 * match, the same partial matches in the same order, the shared buffer's lock counts as they were.
 *
 * <p>On a hot key, most rules hold a partial match that waits, across unrelated events, for one
 * particular event ({@code then b: …}). Flink steps every such partial match for every event of the
 * key: it builds a decision graph, creates a new computation state equal to the old one, locks the
 * buffer node again and releases it once. This class re-evaluates the same transition conditions
 * the NFA would (the same objects, with an equivalent context) and answers "unchanged" only in the
 * cases where {@code NFA.computeNextStates} provably returns the computation state it was given:
 *
 * <ul>
 *   <li>a start state with no valid TAKE and no valid IGNORE towards another state (a self-IGNORE
 *       is not applied to start states, and neither changes the start version);
 *   <li>any other state with exactly one valid IGNORE edge back to itself and no other valid TAKE
 *       or IGNORE (Flink does not count a self-IGNORE as a branch, so the version stays the same);
 * </ul>
 *
 * with valid PROCEED edges followed as {@code NFA.createDecisionGraph} follows them, and no
 * completed match waiting for an earlier partial match. Then {@code doProcess} would rebuild the
 * same priority queue in the same heap order, lock and release the same node and edges once, and
 * report no state change: skipping the call is exact. Any doubt (a condition throws, an unknown
 * state) answers "step it".
 */
public final class NoOpSteps<T> {

  private final Map<String, State<T>> states = new HashMap<>();
  private final List<State<T>> stack = new ArrayList<>();

  /** One context, pointed at each partial match in turn (conditions do not keep it). */
  private final MatchContext<T> context = new MatchContext<>();

  private String lastName;
  private State<T> lastState;

  public NoOpSteps(NFA<T> nfa) {
    for (State<T> state : nfa.getStates()) {
      states.put(state.getName(), state);
    }
  }

  /** The NFA state of that name: the same few names come again and again, as the same strings. */
  private State<T> state(String name) {
    if (name != lastName) {
      lastState = states.get(name);
      lastName = name;
    }
    return lastState;
  }

  /**
   * True when stepping {@code state} with {@code event} would provably change nothing.
   *
   * @param memo the events of partial matches read so far, by computation state (identity): valid
   *     while those computation states are in use, i.e. for the steps of one key between two NFA
   *     calls that may change them
   */
  public boolean unchanged(
      SharedBufferAccessor<T> accessor,
      NFAState state,
      T event,
      long timestamp,
      Map<ComputationState, Map<String, List<T>>> memo) {
    return step(accessor, state, event, timestamp, memo, false) == Step.NONE;
  }

  /** What stepping an NFA state with an event would change. */
  public enum Step {
    /** Nothing ({@link #unchanged}). */
    NONE,
    /**
     * At most the start state: every other partial match provably stays as it is, and no completed
     * match is pending ({@link StartSteps}).
     */
    START_ONLY,
    /** Anything (or unknown). */
    ANY
  }

  /**
   * {@link #unchanged}, telling apart a step that can change only the start state.
   *
   * @param skipStrategy whether the rule has an after-match skip strategy other than {@code skip
   *     none}: then a completed match waits while an earlier partial match may still complete
   *     ({@code NFA.processMatchesAccordingToSkipStrategy}), and a step that changes no partial
   *     match, or only starts new ones (which start later than any), leaves it waiting: the NFA's
   *     loop stops at it at once, as it did at the end of the previous call
   */
  public Step step(
      SharedBufferAccessor<T> accessor,
      NFAState state,
      T event,
      long timestamp,
      Map<ComputationState, Map<String, List<T>>> memo,
      boolean skipStrategy) {
    if (!state.getCompletedMatches().isEmpty() && !(skipStrategy && waitsStill(state))) {
      return Step.ANY;
    }
    Step step = Step.NONE;
    for (ComputationState computation : state.getPartialMatches()) {
      State<T> current = state(computation.getCurrentStateName());
      if (current == null) {
        return Step.ANY;
      }
      if (!unchanged(accessor, computation, current, event, timestamp, memo)) {
        if (computation.getPreviousBufferEntry() != null || !current.isStart()) {
          return Step.ANY;
        }
        step = Step.START_ONLY;
      }
    }
    return step;
  }

  /** The earliest completed match waits for an earlier partial match that is no start state. */
  private static boolean waitsStill(NFAState state) {
    ComputationState completed = state.getCompletedMatches().peek();
    ComputationState partial = state.getPartialMatches().peek();
    return partial != null
        && partial.getPreviousBufferEntry() != null
        && NFAState.COMPUTATION_STATE_COMPARATOR.compare(completed, partial) > 0;
  }

  private boolean unchanged(
      SharedBufferAccessor<T> accessor,
      ComputationState computation,
      State<T> current,
      T event,
      long timestamp,
      Map<ComputationState, Map<String, List<T>>> memo) {
    evaluating.event = event;
    evaluating.context = this.context.of(accessor, computation, timestamp, memo);
    lastCondition = null;
    return leavesUnchanged(current, evaluating);
  }

  /** How a traversal judges a transition condition: valid, not valid, or null (unknown). */
  private interface Judge<T> {
    Boolean valid(IterativeCondition<T> condition) throws Exception;
  }

  /** Evaluates conditions on the event under test (pointed at each in turn). */
  private final class Evaluating implements Judge<T> {
    T event;
    MatchContext<T> context;

    @Override
    public Boolean valid(IterativeCondition<T> condition) throws Exception {
      return holds(condition, event, context);
    }
  }

  private final Evaluating evaluating = new Evaluating();

  /**
   * Follows the transitions {@code NFA.computeNextStates} would from {@code current}, as {@code
   * judge} finds them valid, PROCEED edges as {@code NFA.createDecisionGraph} does: true when they
   * provably leave the computation state as it is (only a self-IGNORE, exactly one, or nothing at a
   * start state). Any doubt (an unknown condition, one that throws) answers false.
   */
  private boolean leavesUnchanged(State<T> current, Judge<T> judge) {
    int selfIgnores = 0;
    stack.clear();
    stack.add(current);
    try {
      while (!stack.isEmpty()) {
        State<T> reached = stack.remove(stack.size() - 1);
        for (StateTransition<T> transition : reached.getStateTransitions()) {
          IterativeCondition<T> condition = transition.getCondition();
          Boolean valid = condition == null ? Boolean.TRUE : judge.valid(condition);
          if (valid == null) {
            return false;
          }
          if (!valid) {
            continue;
          }
          switch (transition.getAction()) {
            case PROCEED:
              stack.add(transition.getTargetState());
              break;
            case IGNORE:
              if (!transition.getTargetState().getName().equals(current.getName())) {
                return false;
              }
              selfIgnores++;
              break;
            default:
              // TAKE
              return false;
          }
        }
      }
    } catch (Exception e) {
      // Let the NFA evaluate it and report the failure as it always does.
      return false;
    } finally {
      stack.clear();
    }
    return current.isStart() || selfIgnores == 1;
  }

  /** The condition evaluated last for the partial match under test, and its value. */
  private IterativeCondition<T> lastCondition;

  private boolean lastValue;

  /**
   * {@code condition.filter}, evaluating a condition once per partial match: a skip-till-next
   * state's IGNORE edge is the negation of its TAKE edge ({@code RichNotCondition}), so the take
   * condition need not run twice. Conditions are pure functions of the event and the partial match.
   */
  private boolean holds(IterativeCondition<T> condition, T event, MatchContext<T> context)
      throws Exception {
    if (condition instanceof org.apache.flink.cep.pattern.conditions.RichNotCondition<T> not
        && not.getNestedConditions().length == 1) {
      return !holds(not.getNestedConditions()[0], event, context);
    }
    if (condition != lastCondition) {
      lastValue = condition.filter(event, context);
      lastCondition = condition;
    }
    return lastValue;
  }

  /**
   * A text that may wake a partial match: only an event of {@code stream} whose field {@code field}
   * equals {@code value} can make one of its conditions true.
   */
  public record Wake(String stream, int field, Object value) {}

  /**
   * The events that can move {@code state} at all, as texts they must hold; empty when any event
   * may (or when that cannot be shown). Every event holding none of them is one for which {@link
   * #unchanged} returns true, as long as the state does not change: the transitions {@link
   * #unchanged} would follow, with every condition that requires a text ({@link StageRequirements})
   * false and the negations of those conditions true, leave the state as it is. An event holding
   * none of the texts makes exactly those conditions false.
   */
  public java.util.Optional<List<Wake>> wakes(
      SharedBufferAccessor<T> accessor,
      NFAState state,
      Map<ComputationState, Map<String, List<T>>> memo) {
    if (!state.getCompletedMatches().isEmpty()) {
      return java.util.Optional.empty();
    }
    List<Wake> wakes = new ArrayList<>();
    for (ComputationState computation : state.getPartialMatches()) {
      State<T> current = state(computation.getCurrentStateName());
      if (current == null || !wakes(accessor, computation, current, memo, wakes)) {
        return java.util.Optional.empty();
      }
    }
    return java.util.Optional.of(wakes);
  }

  private boolean wakes(
      SharedBufferAccessor<T> accessor,
      ComputationState computation,
      State<T> current,
      Map<ComputationState, Map<String, List<T>>> memo,
      List<Wake> out) {
    assuming.context = this.context.of(accessor, computation, Long.MIN_VALUE, memo);
    assuming.out = out;
    return leavesUnchanged(current, assuming);
  }

  /** Judges conditions for an event that holds none of the required texts ({@link #assumed}). */
  private final class Assuming implements Judge<T> {
    MatchContext<T> context;
    List<Wake> out;

    @Override
    public Boolean valid(IterativeCondition<T> condition) {
      return assumed(condition, context, out);
    }
  }

  private final Assuming assuming = new Assuming();

  /**
   * A condition's value for an event that holds none of the required texts: false for a condition
   * that requires one (recorded in {@code out}), true for its negation and for no condition; null
   * when unknown.
   */
  private static <T> Boolean assumed(
      IterativeCondition<T> condition, MatchContext<T> context, List<Wake> out) {
    if (condition == null) {
      return true;
    }
    if (condition instanceof org.apache.flink.cep.pattern.conditions.RichNotCondition<T> not) {
      IterativeCondition<T>[] nested = not.getNestedConditions();
      Boolean inner = nested.length == 1 ? assumed(nested[0], context, out) : null;
      return inner == null ? null : !inner;
    }
    if (condition instanceof StageRequirements requirements
        && !requirements.requiredValues().isEmpty()) {
      io.vigil.compiler.condition.RequiredValue required = requirements.requiredValues().get(0);
      Object value = required.value(context.matchView());
      if (value != null) {
        out.add(new Wake(requirements.stream(), required.field(), value));
      }
      // A null text: the condition cannot be true for any event.
      return false;
    }
    return null;
  }
}
