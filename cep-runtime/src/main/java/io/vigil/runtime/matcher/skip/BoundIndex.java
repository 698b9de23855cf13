package io.vigil.runtime.matcher.skip;

import io.vigil.compiler.condition.RequiredBound;
import io.vigil.compiler.condition.SortedBounds;
import io.vigil.compiler.event.Event;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rules that start only on events keeping a bound of one field ({@code temperature > 83}), sorted
 * by their constants ({@link SortedBounds}): an event is a candidate of exactly the rules whose
 * constant it passes, found by one binary search per (field, side, order) instead of a start test
 * per rule.
 */
final class BoundIndex {

  /** One group's bounds and, for each, the rule's position among the readers. */
  private record Group(SortedBounds bounds, int[] positions) {}

  private final Group[] groups;

  /**
   * @param bounds each rule's position among the readers and the bound it is indexed by
   */
  BoundIndex(Map<Integer, RequiredBound> bounds) {
    Map<String, List<Map.Entry<Integer, RequiredBound>>> byGroup = new LinkedHashMap<>();
    for (Map.Entry<Integer, RequiredBound> e : bounds.entrySet()) {
      byGroup.computeIfAbsent(SortedBounds.groupOf(e.getValue()), k -> new ArrayList<>()).add(e);
    }
    this.groups = new Group[byGroup.size()];
    int g = 0;
    for (List<Map.Entry<Integer, RequiredBound>> rules : byGroup.values()) {
      groups[g++] =
          new Group(
              new SortedBounds(rules.stream().map(Map.Entry::getValue).toList()),
              rules.stream().mapToInt(Map.Entry::getKey).toArray());
    }
  }

  /** Sets the positions of the rules {@code event} keeps the bound of. */
  void candidates(Event event, BitSet out) {
    for (Group group : groups) {
      int field = group.bounds().field();
      int[] positions = group.positions();
      group
          .bounds()
          .forEachKept(
              field < event.size() ? event.value(field) : null, i -> out.set(positions[i]));
    }
  }
}
