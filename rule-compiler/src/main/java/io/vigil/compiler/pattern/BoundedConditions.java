package io.vigil.compiler.pattern;

import io.vigil.compiler.condition.RequiredBound;
import io.vigil.compiler.condition.SortedBounds;
import io.vigil.compiler.event.Event;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;

/**
 * Stage conditions of many rules that are tested against the same events (the members of a rule
 * family): those whose first conjunct is a bound ({@code amount > 1100}) are grouped by stream,
 * field and side and sorted by their constants, so that an event is tested only against the
 * conditions whose bound it keeps. The others would be false without evaluating anything else
 * ({@link StageRequirements#leadingBound}); the results, and the evaluation failures counted, are
 * those of testing every condition.
 */
public final class BoundedConditions implements Serializable {

  private static final long serialVersionUID = 1L;

  /** One stream's conditions with bounds of one field, side and order. */
  private record Group(String stream, SortedBounds bounds, int[] members) implements Serializable {}

  private final int size;
  private final int[] unbounded;
  private final Group[] groups;

  /** Groups {@code conditions}; a condition's index in the list is the one reported. */
  public BoundedConditions(List<? extends IterativeCondition<Event>> conditions) {
    this.size = conditions.size();
    List<Integer> open = new ArrayList<>();
    Map<String, List<Integer>> byGroup = new LinkedHashMap<>();
    Map<String, String> streams = new LinkedHashMap<>();
    Map<Integer, RequiredBound> bounds = new LinkedHashMap<>();
    for (int i = 0; i < conditions.size(); i++) {
      if (conditions.get(i) instanceof StageRequirements r && r.leadingBound().isPresent()) {
        RequiredBound b = r.leadingBound().get();
        String group = r.stream() + '\u0000' + SortedBounds.groupOf(b);
        byGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(i);
        streams.put(group, r.stream());
        bounds.put(i, b);
      } else {
        open.add(i);
      }
    }
    this.unbounded = open.stream().mapToInt(Integer::intValue).toArray();
    this.groups = new Group[byGroup.size()];
    int g = 0;
    for (Map.Entry<String, List<Integer>> e : byGroup.entrySet()) {
      List<Integer> members = e.getValue();
      groups[g++] =
          new Group(
              streams.get(e.getKey()),
              new SortedBounds(members.stream().map(bounds::get).toList()),
              members.stream().mapToInt(Integer::intValue).toArray());
    }
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
    for (Group group : groups) {
      if (!group.stream().equals(event.stream())) {
        // A stage condition is false for an event of another stream.
        continue;
      }
      int field = group.bounds().field();
      int[] members = group.members();
      group
          .bounds()
          .forEachKept(
              field < event.size() ? event.value(field) : null,
              k -> bits[members[k] >>> 6] |= 1L << members[k]);
    }
  }
}
