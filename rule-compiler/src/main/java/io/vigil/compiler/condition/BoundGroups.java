package io.vigil.compiler.condition;

import io.vigil.compiler.event.Event;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Bounds of many rules or conditions, grouped by stream, field, side and order and sorted by their
 * constants: the bounds an event keeps are found by one binary search per group, not one comparison
 * each. With 200 rules of one shape and per-rule thresholds ({@code temperature > 83}, {@code >
 * 84}, …), a reading below every threshold keeps none of them.
 */
public final class BoundGroups implements Serializable {

  private static final long serialVersionUID = 1L;

  /** A bound required of events of {@code stream}, reported as {@code index} when kept. */
  public record Bounded(int index, String stream, RequiredBound bound) {}

  /** One group's bounds by ascending constant, and the index of each. */
  private record Group(
      String stream, int field, RequiredBound.Side side, RequiredBound[] sorted, int[] indexes)
      implements Serializable {}

  private final Group[] groups;

  public BoundGroups(List<Bounded> bounded) {
    Map<String, List<Bounded>> byGroup = new LinkedHashMap<>();
    for (Bounded b : bounded) {
      String key =
          b.stream()
              + '\u0000'
              + b.bound().field()
              + ' '
              + b.bound().side()
              + ' '
              + b.bound().order();
      byGroup.computeIfAbsent(key, k -> new ArrayList<>()).add(b);
    }
    this.groups = new Group[byGroup.size()];
    int g = 0;
    for (List<Bounded> members : byGroup.values()) {
      RequiredBound first = members.get(0).bound();
      Bounded[] sorted = members.toArray(Bounded[]::new);
      Arrays.sort(
          sorted,
          Comparator.comparing(
              Bounded::bound, (a, b) -> first.compare(a.constant(), b.constant())));
      groups[g++] =
          new Group(
              members.get(0).stream(),
              first.field(),
              first.side(),
              Arrays.stream(sorted).map(Bounded::bound).toArray(RequiredBound[]::new),
              Arrays.stream(sorted).mapToInt(Bounded::index).toArray());
    }
  }

  /** Receives the bounds an event keeps ({@link #forEachKeptWithCertainty}). */
  @FunctionalInterface
  public interface Kept {
    /**
     * Bound {@code index} may be kept; {@code surely} when the event's value has the bound's
     * representation and is on its side of the constant (otherwise only its condition can tell).
     */
    void kept(int index, boolean surely);
  }

  /**
   * Reports the index of every bound {@code event} keeps: of its stream, its field on the bound's
   * side of the constant. A missing value keeps none; a value of another representation than the
   * bounds compare in is reported as keeping all (the conditions themselves decide).
   */
  public void forEachKept(Event event, IntConsumer kept) {
    forEachKeptWithCertainty(event, (index, surely) -> kept.accept(index));
  }

  /** As {@link #forEachKept(Event, IntConsumer)}, telling which bounds are surely kept. */
  public void forEachKeptWithCertainty(Event event, Kept kept) {
    for (Group group : groups) {
      if (!group.stream().equals(event.stream())) {
        continue;
      }
      Object value = group.field() < event.size() ? event.value(group.field()) : null;
      if (value == null) {
        continue;
      }
      int n = group.sorted().length;
      if (!group.sorted()[0].accepts(value)) {
        report(group, 0, n, false, kept);
        continue;
      }
      switch (group.side()) {
        case ABOVE -> report(group, 0, below(group, value, false), true, kept);
        case AT_LEAST -> report(group, 0, below(group, value, true), true, kept);
        case BELOW -> report(group, below(group, value, true), n, true, kept);
        case AT_MOST -> report(group, below(group, value, false), n, true, kept);
      }
    }
  }

  /** How many of the group's constants are below {@code value} (or, {@code orAt}, at or below). */
  private static int below(Group group, Object value, boolean orAt) {
    RequiredBound[] sorted = group.sorted();
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      int c = sorted[mid].compare(sorted[mid].constant(), value);
      if (orAt ? c <= 0 : c < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static void report(Group group, int from, int to, boolean surely, Kept kept) {
    for (int i = from; i < to; i++) {
      kept.kept(group.indexes()[i], surely);
    }
  }
}
