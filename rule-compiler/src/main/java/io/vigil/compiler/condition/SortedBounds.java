package io.vigil.compiler.condition;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Bounds of one field, side and order ({@link #groupOf}), sorted by their constants: the bounds a
 * value keeps are found by one binary search, not one comparison each. With 200 rules of one shape
 * and per-rule thresholds ({@code temperature > 83}, {@code > 84}, …), a reading below every
 * threshold keeps none of them.
 */
public final class SortedBounds implements Serializable {

  private static final long serialVersionUID = 1L;

  private final int field;
  private final RequiredBound.Side side;
  private final RequiredBound[] sorted;

  /** The caller's index of each bound in {@link #sorted}. */
  private final int[] indexes;

  /**
   * @param bounds bounds of one group ({@link #groupOf}); a bound's index in this list is the index
   *     {@link #forEachKept} reports
   */
  public SortedBounds(List<RequiredBound> bounds) {
    if (bounds.isEmpty() || bounds.stream().map(SortedBounds::groupOf).distinct().count() != 1) {
      throw new IllegalArgumentException("bounds of one field, side and order: " + bounds);
    }
    Integer[] order = new Integer[bounds.size()];
    Arrays.setAll(order, i -> i);
    RequiredBound first = bounds.get(0);
    Arrays.sort(
        order,
        Comparator.comparing(bounds::get, (a, b) -> first.compare(a.constant(), b.constant())));
    this.field = first.field();
    this.side = first.side();
    this.sorted = new RequiredBound[order.length];
    this.indexes = new int[order.length];
    for (int i = 0; i < order.length; i++) {
      sorted[i] = bounds.get(order[i]);
      indexes[i] = order[i];
    }
  }

  /** Bounds that sort together: of one field, side and order. */
  public static String groupOf(RequiredBound bound) {
    return bound.field() + " " + bound.side() + " " + bound.order();
  }

  /** The field the bounds are of. */
  public int field() {
    return field;
  }

  /**
   * Reports the index of every bound {@code value} keeps. A missing value keeps none; a value of
   * another representation than the bounds compare in is reported as keeping all (the conditions
   * themselves decide).
   */
  public void forEachKept(Object value, IntConsumer kept) {
    if (value == null) {
      return;
    }
    if (!sorted[0].accepts(value)) {
      report(0, sorted.length, kept);
      return;
    }
    switch (side) {
      case ABOVE -> report(0, below(value, false), kept);
      case AT_LEAST -> report(0, below(value, true), kept);
      case BELOW -> report(below(value, true), sorted.length, kept);
      case AT_MOST -> report(below(value, false), sorted.length, kept);
    }
  }

  /** How many constants are below {@code value} (or, {@code orAt}, at or below it). */
  private int below(Object value, boolean orAt) {
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

  private void report(int from, int to, IntConsumer kept) {
    for (int i = from; i < to; i++) {
      kept.accept(indexes[i]);
    }
  }
}
