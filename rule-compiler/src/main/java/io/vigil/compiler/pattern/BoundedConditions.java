package io.vigil.compiler.pattern;

import io.vigil.compiler.condition.BoundGroups;
import io.vigil.compiler.event.Event;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;

/**
 * Stage conditions of many rules that are tested against the same events (the members of a rule
 * family): those whose first conjunct is a bound ({@code amount > 1100}) are grouped by stream,
 * field and side and sorted by their constants ({@link BoundGroups}), so that an event is tested
 * only against the conditions whose bound it keeps. The others would be false without evaluating
 * anything else ({@link StageRequirements#leadingBound}); the results, and the evaluation failures
 * counted, are those of testing every condition.
 */
public final class BoundedConditions implements Serializable {

  private static final long serialVersionUID = 1L;

  private final int size;
  private final int[] unbounded;
  private final BoundGroups bounded;

  /** Groups {@code conditions}; a condition's index in the list is the one reported. */
  public BoundedConditions(List<? extends IterativeCondition<Event>> conditions) {
    this.size = conditions.size();
    List<Integer> open = new ArrayList<>();
    List<BoundGroups.Bounded> bounds = new ArrayList<>();
    for (int i = 0; i < conditions.size(); i++) {
      if (conditions.get(i) instanceof StageRequirements r && r.leadingBound().isPresent()) {
        bounds.add(new BoundGroups.Bounded(i, r.stream(), r.leadingBound().get()));
      } else {
        open.add(i);
      }
    }
    this.unbounded = open.stream().mapToInt(Integer::intValue).toArray();
    this.bounded = new BoundGroups(bounds);
  }

  /** The number of conditions. */
  public int size() {
    return size;
  }

  /**
   * Sets the bits (condition {@code i}: bit {@code i % 64} of word {@code i / 64}) of the
   * conditions {@code event} may pass: those without a leading bound, and those of its stream whose
   * bound it keeps. {@code bits} has at least {@code (size() + 63) / 64} words.
   */
  public void candidates(Event event, long[] bits) {
    for (int i : unbounded) {
      bits[i >>> 6] |= 1L << i;
    }
    // A stage condition is false for an event of another stream: only its own stream's count.
    bounded.forEachKept(event, i -> bits[i >>> 6] |= 1L << i);
  }
}
