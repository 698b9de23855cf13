package io.vigil.runtime.matcher.skip;

import io.vigil.compiler.condition.RequiredBound;
import io.vigil.compiler.event.Event;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rules that start only on events keeping a bound of one field ({@code temperature > 83}), sorted
 * by their constants: an event is a candidate of exactly the rules whose constant it passes, found
 * by one binary search per (field, side, order) instead of a start test per rule. With 200 rules of
 * one shape and per-rule thresholds, a reading below every threshold meets none of them.
 */
final class BoundIndex {

  /** Rules of one field, side and order, by ascending constant. */
  private record Group(
      int field, RequiredBound.Side side, RequiredBound[] bounds, int[] positions) {

    /** Sets the positions of the rules whose bound {@code value} keeps. */
    void candidates(Object value, BitSet out) {
      if (value == null) {
        return;
      }
      RequiredBound any = bounds[0];
      if (!any.accepts(value)) {
        // Not in the representation the bounds compare in: each rule's own test decides.
        all(out);
        return;
      }
      switch (side) {
        case ABOVE -> range(0, below(value, false), out);
        case AT_LEAST -> range(0, below(value, true), out);
        case BELOW -> range(below(value, true), bounds.length, out);
        case AT_MOST -> range(below(value, false), bounds.length, out);
      }
    }

    /** How many constants are below {@code value} (or, {@code orAt}, at or below it). */
    private int below(Object value, boolean orAt) {
      int lo = 0;
      int hi = bounds.length;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        int c = bounds[mid].compare(bounds[mid].constant(), value);
        boolean before = orAt ? c <= 0 : c < 0;
        if (before) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }

    private void range(int from, int to, BitSet out) {
      for (int i = from; i < to; i++) {
        out.set(positions[i]);
      }
    }

    private void all(BitSet out) {
      range(0, positions.length, out);
    }
  }

  private final Group[] groups;

  /**
   * @param bounds each rule's position among the readers and the bound it is indexed by
   */
  BoundIndex(Map<Integer, RequiredBound> bounds) {
    Map<String, List<Map.Entry<Integer, RequiredBound>>> byGroup = new LinkedHashMap<>();
    for (Map.Entry<Integer, RequiredBound> e : bounds.entrySet()) {
      RequiredBound b = e.getValue();
      byGroup
          .computeIfAbsent(b.field() + " " + b.side() + " " + b.order(), k -> new ArrayList<>())
          .add(e);
    }
    this.groups = new Group[byGroup.size()];
    int g = 0;
    for (List<Map.Entry<Integer, RequiredBound>> rules : byGroup.values()) {
      rules.sort(
          Comparator.comparing(
              Map.Entry::getValue, (a, b) -> a.compare(a.constant(), b.constant())));
      RequiredBound[] sorted = new RequiredBound[rules.size()];
      int[] positions = new int[rules.size()];
      for (int i = 0; i < sorted.length; i++) {
        sorted[i] = rules.get(i).getValue();
        positions[i] = rules.get(i).getKey();
      }
      groups[g++] = new Group(sorted[0].field(), sorted[0].side(), sorted, positions);
    }
  }

  /** Sets the positions of the rules {@code event} keeps the bound of. */
  void candidates(Event event, BitSet out) {
    for (Group group : groups) {
      group.candidates(group.field() < event.size() ? event.value(group.field()) : null, out);
    }
  }
}
