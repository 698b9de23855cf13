package io.vigil.runtime.matcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.apache.flink.cep.nfa.ComputationState;
import org.apache.flink.cep.nfa.DeweyNumber;
import org.apache.flink.cep.nfa.NFAState;
import org.apache.flink.cep.nfa.sharedbuffer.EventId;
import org.apache.flink.cep.nfa.sharedbuffer.NodeId;

class TimeoutHorizonTest {

  private static final Set<String> STARTS = Set.of("start", "loop");
  private static final long WINDOW = 600_000;

  /** What the NFA would time out first: every partial match in no start state, walked. */
  private static long walked(List<ComputationState> states) {
    return states.stream()
        .filter(s -> !STARTS.contains(s.getCurrentStateName()))
        .mapToLong(s -> s.getStartTimestamp() + WINDOW)
        .min()
        .orElse(Long.MAX_VALUE);
  }

  @Property(tries = 500)
  void theHorizonIsTheEarliestStartOfAPartialMatchInNoStartState(
      @ForAll("partialMatches") List<ComputationState> states) {
    PriorityQueue<ComputationState> queue =
        new PriorityQueue<>(NFAState.COMPUTATION_STATE_COMPARATOR);
    queue.addAll(states);
    Statistics.collect(
        states.size() > 1 && !STARTS.contains(queue.peek().getCurrentStateName())
            ? "head decides"
            : "walked");
    assertThat(RuleRuntime.timeoutHorizon(queue, STARTS, WINDOW)).isEqualTo(walked(states));
    // A queue in any other order is walked.
    assertThat(RuleRuntime.timeoutHorizon(new ArrayDeque<>(states), STARTS, WINDOW))
        .isEqualTo(walked(states));
    Statistics.coverage(c -> c.check("head decides").percentage(p -> p > 20));
  }

  @Provide
  Arbitrary<List<ComputationState>> partialMatches() {
    Arbitrary<Long> time = Arbitraries.longs().between(0, 50);
    // A partial match past the start state has taken its first event; one in a start state
    // has none, or (a looping start stage) has one.
    Arbitrary<ComputationState> taken =
        Combinators.combine(
                Arbitraries.of("a", "b", "loop"), time, Arbitraries.integers().between(0, 9))
            .as(
                (name, ts, id) ->
                    ComputationState.createState(
                        name,
                        new NodeId(new EventId(id, ts), name),
                        new DeweyNumber(1),
                        ts,
                        ts,
                        new EventId(id, ts)));
    Arbitrary<ComputationState> fresh =
        Arbitraries.of("start", "loop").map(ComputationState::createStartState);
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, taken), net.jqwik.api.Tuple.of(1, fresh))
        .list()
        .ofMaxSize(8);
  }
}
