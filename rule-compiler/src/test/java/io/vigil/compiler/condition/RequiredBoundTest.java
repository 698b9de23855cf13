package io.vigil.compiler.condition;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.condition.RequiredBound.Order;
import io.vigil.compiler.condition.RequiredBound.Side;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Bounds that exclude each other leave no value that keeps both, and are recognised wherever the
 * sides and constants leave nothing between them.
 */
class RequiredBoundTest {

  @Property(tries = 2000)
  void noValueKeepsTwoBoundsThatExcludeEachOther(
      @ForAll("bounds") RequiredBound a, @ForAll("bounds") RequiredBound b) {
    if (a.excludes(b)) {
      for (long v = -1; v <= 5; v++) {
        assertThat(a.admits(v) && b.admits(v)).as("%s keeps %s and %s", v, a, b).isFalse();
      }
    }
    assertThat(a.excludes(b)).isEqualTo(b.excludes(a));
  }

  @Property(tries = 2000)
  void boundsOnOppositeSidesThatIncludeTheirConstantsExcludeEachOtherWhenNoValueKeepsBoth(
      @ForAll("bounds") RequiredBound a, @ForAll("bounds") RequiredBound b) {
    boolean someValueKeepsBoth = false;
    for (long v = -1; v <= 5; v++) {
      someValueKeepsBoth |= a.admits(v) && b.admits(v);
    }
    boolean opposite = below(a.side()) != below(b.side());
    boolean strictGap =
        a.side() != Side.AT_MOST && a.side() != Side.AT_LEAST
            || b.side() != Side.AT_MOST && b.side() != Side.AT_LEAST;
    if (a.field() == b.field() && opposite && !someValueKeepsBoth && !strictGap) {
      // Both inclusive: no value between means the constants are apart, which excludes.
      assertThat(a.excludes(b)).as("%s and %s", a, b).isTrue();
    }
    if (someValueKeepsBoth) {
      assertThat(a.excludes(b)).isFalse();
    }
  }

  @Test
  void aCalmReadingIsNoneOfARisingRun() {
    RequiredBound calm = new RequiredBound(2, Side.BELOW, 1.0, Order.DOUBLE);
    assertThat(calm.excludes(new RequiredBound(2, Side.ABOVE, 4.0, Order.DOUBLE))).isTrue();
    assertThat(calm.excludes(new RequiredBound(2, Side.AT_LEAST, 1.0, Order.DOUBLE))).isTrue();
    assertThat(calm.excludes(new RequiredBound(2, Side.ABOVE, 0.2, Order.DOUBLE))).isFalse();
    assertThat(calm.excludes(new RequiredBound(3, Side.ABOVE, 4.0, Order.DOUBLE))).isFalse();
    assertThat(calm.excludes(new RequiredBound(2, Side.BELOW, 0.5, Order.DOUBLE))).isFalse();
  }

  @Test
  void boundsInOtherOrdersOrOfOtherFieldsNeverExcludeEachOther() {
    RequiredBound small = new RequiredBound(0, Side.BELOW, 1L, Order.LONG);
    assertThat(small.excludes(new RequiredBound(0, Side.ABOVE, 4.0, Order.DOUBLE))).isFalse();
    assertThat(small.excludes(new RequiredBound(1, Side.ABOVE, 4L, Order.LONG))).isFalse();
    assertThat(small.excludes(new RequiredBound(0, Side.ABOVE, 4L, Order.LONG))).isTrue();
  }

  private static boolean below(Side side) {
    return side == Side.BELOW || side == Side.AT_MOST;
  }

  @Provide
  Arbitrary<RequiredBound> bounds() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 1),
            Arbitraries.of(Side.class),
            Arbitraries.longs().between(0, 4))
        .as((field, side, constant) -> new RequiredBound(field, side, constant, Order.LONG));
  }
}
