package io.vigil.runtime.rules;

import io.vigil.compiler.event.Event;
import io.vigil.compiler.rule.ConditionFamily;
import io.vigil.compiler.rule.MemberConditions;
import java.util.List;
import java.util.Map;

/**
 * How a condition family's matches go to its members ({@link ConditionFamily}): the shared stage,
 * and the members' conditions of it as one, which the family's NFA tests.
 *
 * @param stage the stage whose condition the members may differ in
 * @param startStage whether it starts the pattern (its conditions decide which events may start a
 *     match)
 * @param conditions the members' conditions of the stage, in member order
 * @param firstMatchOnly whether a member takes only the first of the matches one event completes
 *     ({@link ConditionFamily#firstMatchOnly}; the members share their skip strategy)
 */
record ConditionSplit(
    String stage, boolean startStage, MemberConditions conditions, boolean firstMatchOnly) {

  /** The split of members of one condition family, in this order. */
  static ConditionSplit of(List<ConditionFamily> members) {
    ConditionFamily first = members.get(0);
    return new ConditionSplit(
        first.stage(),
        first.startStage(),
        ConditionFamily.memberConditions(members),
        first.firstMatchOnly());
  }

  /**
   * The members' pattern, whose shared stage takes what any member's takes, within {@code window}
   * (the longest of theirs).
   */
  org.apache.flink.cep.pattern.Pattern<Event, Event> pattern(
      ConditionFamily representative, java.time.Duration window) {
    return representative.pattern(conditions, window);
  }

  /**
   * The members whose condition passes every event the shared stage took in {@code match}, as bits
   * by member index (a fresh array).
   */
  long[] passing(Map<String, List<Event>> match) throws Exception {
    long[] all = null;
    for (Event e : match.getOrDefault(stage, List.of())) {
      long[] passing = conditions.passing(e, StagesContext.first(e.timestamp()));
      if (all == null) {
        all = passing.clone();
      } else {
        for (int w = 0; w < all.length; w++) {
          all[w] &= passing[w];
        }
      }
    }
    if (all == null) {
      // The stage is taken at least once: a match without its events passes every member.
      all = new long[(conditions.size() + 63) >>> 6];
      java.util.Arrays.fill(all, -1L);
    }
    return all;
  }
}
