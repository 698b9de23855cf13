package io.vigil.compiler.rule;

import io.vigil.compiler.event.Event;
import io.vigil.compiler.pattern.BoundedConditions;
import java.util.List;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;

/**
 * The conditions of one stage of a family's members as one: it passes an event that passes any of
 * them, and keeps, for the last event it tested, which of them passed, so that the runtime can tell
 * the members of a match without evaluating a condition twice on that event (an evaluation that
 * fails is counted once, as the member's own NFA counts it). One instance serves one NFA, on one
 * thread.
 */
public class MemberConditions extends IterativeCondition<Event> {
  private static final long serialVersionUID = 1L;
  private final List<IterativeCondition<Event>> conditions;

  /** The same conditions, grouped by their leading bounds: most need no evaluation. */
  private final BoundedConditions bounded;

  private transient Event tested;
  private transient long[] passed;
  private transient boolean any;

  /** Which members an event may pass, refilled for each event tested. */
  private transient long[] candidates;

  /** The members' conditions, in member order. */
  public MemberConditions(List<IterativeCondition<Event>> conditions) {
    this.conditions = List.copyOf(conditions);
    this.bounded = new BoundedConditions(this.conditions);
  }

  /**
   * Whether any member's condition passes {@code event}. The members' results are kept for the
   * event last tested, which is not tested again: a runtime asks whether the event may start a
   * match, then the NFA takes it (perhaps for several partial matches), then the members are told.
   */
  @Override
  public boolean filter(Event event, Context<Event> ctx) throws Exception {
    test(event, ctx);
    return any;
  }

  /**
   * The members whose condition passes {@code event}, as bits by member index (read-only; valid
   * until the next call).
   */
  public long[] passing(Event event, Context<Event> ctx) throws Exception {
    test(event, ctx);
    return passed;
  }

  /** Whether member {@code member}'s condition passes {@code event}. */
  public boolean passed(Event event, int member, Context<Event> ctx) throws Exception {
    long[] bits = passing(event, ctx);
    return (bits[member >>> 6] & (1L << member)) != 0;
  }

  /** How many members. */
  public int size() {
    return conditions.size();
  }

  private void test(Event event, Context<Event> ctx) throws Exception {
    if (event == tested) {
      return;
    }
    long[] results = new long[(conditions.size() + 63) >>> 6];
    if (candidates == null) {
      candidates = new long[results.length];
    } else {
      java.util.Arrays.fill(candidates, 0L);
    }
    // A member whose condition is a bound the event surely keeps passes without an evaluation.
    bounded.candidates(event, candidates, results);
    boolean anyPassed = false;
    for (int word = 0; word < candidates.length; word++) {
      anyPassed |= results[word] != 0;
      for (long bits = candidates[word]; bits != 0; bits &= bits - 1) {
        int i = word * 64 + Long.numberOfTrailingZeros(bits);
        // Members written alike (the same first condition, say) are evaluated once, for the first.
        int first = bounded.sameAs(i);
        if (first != i
            ? (results[first >>> 6] & (1L << first)) != 0
            : conditions.get(i).filter(event, ctx)) {
          results[word] |= 1L << i;
          anyPassed = true;
        }
      }
    }
    tested = event;
    passed = results;
    any = anyPassed;
  }
}
