package io.vigil.compiler.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.Samples;
import io.vigil.compiler.event.Event;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;

/**
 * The members' conditions of a stage as one: whichever conditions it evaluates, passes unevaluated
 * (a bound the event surely keeps) or answers from a member written alike, each member's answer is
 * its own condition's.
 */
class MemberConditionsTest {

  private static final String[] FORMS = {
    "temperature > %d",
    "site == \"s3\" and temperature > %d",
    "temperature >= %d.5 and vibration < 5",
    "site == \"s3\"",
    "vibration > 1 or temperature > %d",
    "%d > temperature",
    "vibration * 2 > %d"
  };

  /** The condition of the only stage of a rule on readings. */
  private static IterativeCondition<Event> condition(String condition) {
    CompiledRule rule =
        Samples.compileRule(
            """
            rule r
              severity low
              from readings
              partition by deviceId
              pattern
                a: %s
              alert "x"
            """
                .formatted(condition));
    return rule.pattern().getCondition();
  }

  private static Event reading(Double temperature, double vibration, String site) {
    return new Event("readings", 0, new Object[] {"r1", "dev-1", site, temperature, vibration, 0L});
  }

  @Property(tries = 30)
  void eachMembersAnswerIsItsOwnConditions(
      @ForAll @Size(min = 1, max = 70) List<@IntRange(min = 0, max = 6) Integer> forms,
      @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 60, max = 100) Integer> thresholds,
      @ForAll @Size(min = 1, max = 12) List<@DoubleRange(min = 55, max = 105) Double> readings)
      throws Exception {
    List<IterativeCondition<Event>> conditions = new ArrayList<>();
    for (int i = 0; i < forms.size(); i++) {
      conditions.add(
          condition(FORMS[forms.get(i)].formatted(thresholds.get(i % thresholds.size()))));
    }
    MemberConditions members = new MemberConditions(conditions);
    List<Event> events = new ArrayList<>();
    for (double r : readings) {
      events.add(reading(r, r / 40, r > 80 ? "s3" : "s1"));
      events.add(reading(Math.floor(r), 0.5, "s3"));
    }
    events.add(reading(null, 2.0, null));
    events.add(reading(Double.NaN, Double.NaN, "s3"));
    for (Event e : events) {
      boolean any = false;
      for (int i = 0; i < conditions.size(); i++) {
        boolean own = conditions.get(i).filter(e, null);
        assertThat(members.passed(e, i, null)).as("member %d on %s", i, e).isEqualTo(own);
        any |= own;
      }
      assertThat(members.filter(e, null)).isEqualTo(any);
    }
  }
}
