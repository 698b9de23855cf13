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
 * and a condition it is not a candidate of is false for it.
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
    // Its first conjunct is not a bound: always a candidate.
    assertThat(has(hot, 1)).isTrue();
    assertThat(has(hot, 2)).isTrue();
    assertThat(has(hot, 3)).isFalse();

    long[] mild = candidates(conditions, reading(70.0, 1.0));
    assertThat(has(mild, 0)).isFalse();
    assertThat(has(mild, 2)).isFalse();
    assertThat(has(mild, 3)).isFalse();

    long[] missing = candidates(conditions, reading(null, 1.0));
    assertThat(has(missing, 0) || has(missing, 2) || has(missing, 3)).isFalse();

    Event login = new Event("logins", 0, new Object[] {"l1", "acc-1", "FR", true, 0L});
    assertThat(candidates(conditions, login)[0]).isEqualTo(1L << 1);
  }

  /** Whatever the thresholds, sides and readings: the grouping only leaves out what is false. */
  @Property(tries = 25)
  void everyConditionLeftOutIsFalseAndEveryTrueOneIsACandidate(
      @ForAll @Size(min = 1, max = 10) List<@IntRange(min = 0, max = 6) Integer> forms,
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
      "temperature < %d or vibration > 3"
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
    for (Event e : events) {
      long[] maybe = candidates(conditions, e);
      for (int i = 0; i < list.size(); i++) {
        boolean passes = list.get(i).filter(e, null);
        if (!has(maybe, i)) {
          assertThat(passes).as("condition %d on %s", i, e).isFalse();
        }
      }
    }
  }
}
