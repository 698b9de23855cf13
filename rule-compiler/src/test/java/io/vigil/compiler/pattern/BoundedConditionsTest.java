package io.vigil.compiler.pattern;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.event.Event;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.junit.jupiter.api.Test;

/**
 * Conditions grouped by their leading bounds: an event is a candidate of every condition it passes,
 * a condition it is not a candidate of is false for it, and a condition that is its bound and
 * nothing else passes, unevaluated, exactly the events that keep the bound.
 */
class BoundedConditionsTest {

  private static Event reading(Double temperature, double vibration) {
    return new Event("readings", 0, new Object[] {"r1", "dev-1", "s3", temperature, vibration, 0L});
  }

  private static long[] candidates(BoundedConditions conditions, Event event) {
    long[] bits = new long[(conditions.size() + 63) >>> 6];
    conditions.candidates(event, bits);
    return bits;
  }

  private static boolean has(long[] bits, int i) {
    return (bits[i >>> 6] & (1L << i)) != 0;
  }

  @Test
  void aConditionIsACandidateOnlyOfEventsItsLeadingBoundAdmits() throws Exception {
    BoundedConditions conditions =
        new BoundedConditions(
            List.of(
                StageRequirementsTest.stageB("temperature > 90"),
                StageRequirementsTest.stageB("site == \"s3\" and temperature > 95"),
                StageRequirementsTest.stageB("temperature >= 80 and vibration < 5"),
                StageRequirementsTest.stageB("60 > temperature")));
    assertThat(conditions.size()).isEqualTo(4);

    long[] hot = candidates(conditions, reading(92.0, 1.0));
    assertThat(has(hot, 0)).isTrue();
    // The site comparison cannot fail: the bound after it leads.
    assertThat(has(hot, 1)).isFalse();
    assertThat(has(hot, 2)).isTrue();
    assertThat(has(hot, 3)).isFalse();

    long[] mild = candidates(conditions, reading(70.0, 1.0));
    assertThat(has(mild, 0)).isFalse();
    assertThat(has(mild, 2)).isFalse();
    assertThat(has(mild, 3)).isFalse();

    long[] missing = candidates(conditions, reading(null, 1.0));
    assertThat(has(missing, 0) || has(missing, 2) || has(missing, 3)).isFalse();

    Event login = new Event("logins", 0, new Object[] {"l1", "acc-1", "FR", true, 0L});
    assertThat(candidates(conditions, login)[0]).isZero();
  }

  @Test
  void aConditionThatIsItsBoundPassesTheEventsThatSurelyKeepIt() throws Exception {
    BoundedConditions conditions =
        new BoundedConditions(
            List.of(
                StageRequirementsTest.stageB("temperature > 90"),
                StageRequirementsTest.stageB("site == \"s3\" and temperature > 85"),
                StageRequirementsTest.stageB("95 > temperature"),
                StageRequirementsTest.stageB("vibration > 1 or temperature > 90")));
    long[] maybe = new long[1];
    long[] passing = new long[1];
    conditions.candidates(reading(92.0, 0.5), maybe, passing);
    // Passing without an evaluation: the two that are bounds and nothing else.
    assertThat(passing[0]).isEqualTo(0b0101L);
    // To be evaluated: a bound with more after it, and one without a leading bound.
    assertThat(maybe[0]).isEqualTo(0b1010L);

    // A value of another representation: only the conditions can tell.
    Event longReading = new Event("readings", 0, new Object[] {"r1", "dev-1", "s3", 92L, 0.5, 0L});
    maybe[0] = 0;
    passing[0] = 0;
    conditions.candidates(longReading, maybe, passing);
    assertThat(passing[0]).isZero();
    assertThat(maybe[0]).isEqualTo(0b1111L);
  }

  @Test
  void conditionsWrittenAlikeAreAnsweredByTheFirst() {
    BoundedConditions conditions =
        new BoundedConditions(
            List.of(
                StageRequirementsTest.stageB("site == \"s3\""),
                StageRequirementsTest.stageB("temperature > 90"),
                StageRequirementsTest.stageB("site == \"s3\""),
                StageRequirementsTest.stageB("temperature > 90"),
                StageRequirementsTest.stageB("vibration * 2 > 1"),
                StageRequirementsTest.stageB("vibration * 2 > 1")));
    assertThat(List.of(0, 1, 2, 3, 4, 5).stream().map(conditions::sameAs))
        .containsExactly(0, 1, 0, 1, 4, 5);
  }

  /**
   * Whatever the thresholds, sides and readings: the grouping only leaves out what is false, and
   * what it passes unevaluated is true.
   */
  @Property(tries = 25)
  void everyConditionLeftOutIsFalseAndEveryTrueOneIsACandidate(
      @ForAll @Size(min = 1, max = 10) List<@IntRange(min = 0, max = 7) Integer> forms,
      @ForAll @Size(min = 1, max = 10) List<@IntRange(min = 60, max = 100) Integer> thresholds,
      @ForAll @Size(min = 1, max = 15) List<@DoubleRange(min = 55, max = 105) Double> readings)
      throws Exception {
    String[] templates = {
      "temperature > %d",
      "temperature >= %d.5 and vibration < 5",
      "%d > temperature",
      "temperature <= %d",
      "vibration > 1 and temperature > %d",
      "site == \"s3\" and temperature > %d",
      "temperature < %d or vibration > 3",
      "site == \"s3\" or vibration > %d.5"
    };
    List<IterativeCondition<Event>> list = new ArrayList<>();
    for (int i = 0; i < forms.size(); i++) {
      list.add(
          StageRequirementsTest.stageB(
              templates[forms.get(i)].formatted(thresholds.get(i % thresholds.size()))));
    }
    BoundedConditions conditions = new BoundedConditions(list);
    List<Event> events = new ArrayList<>();
    for (double r : readings) {
      events.add(reading(r, r / 20));
      // Readings on the thresholds themselves.
      events.add(reading(Math.floor(r), 2.0));
      events.add(reading(Math.floor(r) + 0.5, 0.5));
    }
    events.add(reading(null, 4.0));
    events.add(reading(Double.NaN, Double.NaN));
    events.add(reading(Double.NEGATIVE_INFINITY, 0.0));
    for (Event e : events) {
      long[] maybe = candidates(conditions, e);
      long[] toTest = new long[maybe.length];
      long[] passing = new long[maybe.length];
      conditions.candidates(e, toTest, passing);
      for (int i = 0; i < list.size(); i++) {
        boolean passes = list.get(i).filter(e, null);
        // A condition written like an earlier one passes what that one passes.
        assertThat(conditions.sameAs(i)).isBetween(0, i);
        assertThat(passes).isEqualTo(list.get(conditions.sameAs(i)).filter(e, null));
        if (!has(maybe, i)) {
          assertThat(passes).as("condition %d on %s", i, e).isFalse();
        }
        // Every condition is either passed without evaluation, left to evaluate, or false.
        assertThat(has(toTest, i) && has(passing, i)).isFalse();
        if (has(passing, i)) {
          assertThat(passes).as("condition %d passed unevaluated on %s", i, e).isTrue();
        } else if (!has(toTest, i)) {
          assertThat(passes).as("condition %d on %s", i, e).isFalse();
        }
      }
    }
  }
}
