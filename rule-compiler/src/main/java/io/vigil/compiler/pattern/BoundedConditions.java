package io.vigil.compiler.pattern;

import io.vigil.compiler.condition.BoundGroups;
import io.vigil.compiler.event.Event;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;

/**
 * Stage conditions of many rules that are tested against the same events (the members of a rule
 * family): those led by a bound ({@code amount > 1100}, {@code status == "APPROVED" and amount >
 * 800}) are grouped by stream, field and side and sorted by their constants ({@link BoundGroups}),
 * so that an event is tested only against the conditions whose bound it keeps. The others would be
 * false without evaluating anything else ({@link StageRequirements#leadingBound}), and those that
 * are their bound and nothing else ({@code temperature > 83}) hold for the events whose bound they
 * surely keep; the results, and the evaluation failures counted, are those of testing every
 * condition.
 */
public final class BoundedConditions implements Serializable {

  private static final long serialVersionUID = 1L;

  private final int size;
  private final int[] unbounded;
  private final BoundGroups bounded;

  /** Which conditions are their leading bound and nothing else, by index. */
  private final boolean[] onlyBound;

  /** By index, the first condition that passes the same events (itself for most). */
  private final int[] sameAs;

  /** Groups {@code conditions}; a condition's index in the list is the one reported. */
  public BoundedConditions(List<? extends IterativeCondition<Event>> conditions) {
    this.size = conditions.size();
    List<Integer> open = new ArrayList<>();
    List<BoundGroups.Bounded> bounds = new ArrayList<>();
    this.onlyBound = new boolean[size];
    this.sameAs =
        ConditionForm.firstAlike(
            conditions.stream()
                .map(
                    c ->
                        c instanceof StageRequirements r
                            ? r.failureFreeForm()
                            : java.util.Optional.<ConditionForm>empty())
                .toList());
    for (int i = 0; i < conditions.size(); i++) {
      if (sameAs[i] < 0) {
        sameAs[i] = i;
      }
      if (conditions.get(i) instanceof StageRequirements r && r.leadingBound().isPresent()) {
        bounds.add(new BoundGroups.Bounded(i, r.stream(), r.leadingBound().get()));
        onlyBound[i] = r.isOnlyLeadingBound();
      } else {
        open.add(i);
      }
    }
    this.unbounded = open.stream().mapToInt(Integer::intValue).toArray();
    this.bounded = new BoundGroups(bounds);
  }

  /**
   * The first condition, at or before {@code i}, that passes exactly the events condition {@code i}
   * passes without an evaluation that could fail (their {@link StageRequirements#failureFreeForm
   * forms} are equal): {@code i} itself for most. Such conditions are candidates of the same
   * events, so a caller testing candidates in order has the first's result when it comes to {@code
   * i}.
   */
  public int sameAs(int i) {
    return sameAs[i];
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
    candidates(event, bits, bits);
  }

  /**
   * As {@link #candidates(Event, long[])}, but a condition that is its bound and nothing else and
   * that the event surely keeps ({@link BoundGroups.Kept}) is set in {@code passing} instead: it
   * holds for the event, and evaluating it could not fail, so it need not be evaluated.
   */
  public void candidates(Event event, long[] bits, long[] passing) {
    for (int i : unbounded) {
      bits[i >>> 6] |= 1L << i;
    }
    // A stage condition is false for an event of another stream: only its own stream's count.
    bounded.forEachKeptWithCertainty(
        event,
        (int i, boolean surely) -> {
          if (surely && onlyBound[i]) {
            passing[i >>> 6] |= 1L << i;
          } else {
            bits[i >>> 6] |= 1L << i;
          }
        });
  }
}
