package io.vigil.compiler.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.Samples;
import io.vigil.compiler.event.Event;
import io.vigil.compiler.rule.Compilation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sample rules on generated streams (many keys, one job per rule), checked against a law that an
 * independent, obvious computation on the same events gives. Seeded: a failure is reproducible.
 */
class GeneratedStreamsOnStaticCepTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static Compilation samples;
  static Events ev;

  @BeforeAll
  static void compileSamples() {
    samples = Samples.compile();
    ev = new Events(samples.streams());
  }

  /**
   * impossible_travel (a POS, next b POS in another country, within 1h, no skip): for each card,
   * every pair of adjacent payments that are both POS, in different countries and less than an hour
   * apart is exactly one match.
   */
  @Test
  void impossibleTravelMatchesAdjacentPosPairsAcrossCountries() throws Exception {
    Random random = new Random(20261125L);
    String[] countries = {"US", "FR", "DE"};
    List<Event> events = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int card = 0; card < 40; card++) {
      String id = "g" + card;
      long second = 0;
      String previousCountry = null;
      String previousId = null;
      boolean previousPos = false;
      long previousSecond = 0;
      int n = 3 + random.nextInt(10);
      for (int i = 0; i < n; i++) {
        second += 1 + random.nextInt(3000);
        boolean pos = random.nextInt(4) != 0;
        String country = countries[random.nextInt(countries.length)];
        String eventId = id + "-" + i;
        events.add(
            ev.payment(
                eventId,
                id,
                "10.00",
                "APPROVED",
                "USD",
                "m",
                country,
                pos ? "POS" : "ONLINE",
                second));
        if (previousPos
            && pos
            && !country.equals(previousCountry)
            && second - previousSecond < 3600) {
          expected.add("match cardId=" + id + " a=[" + previousId + "] b=[" + eventId + "]");
          expected.add(
              "alert cardId="
                  + id
                  + ": Card "
                  + id
                  + " used in "
                  + previousCountry
                  + " then in "
                  + country);
        }
        previousPos = pos;
        previousCountry = country;
        previousId = eventId;
        previousSecond = second;
      }
    }
    assertThat(expected).isNotEmpty();
    assertThat(StaticCep.run(samples.rule("impossible_travel").orElseThrow(), events))
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  /**
   * device_silent (seen, then not again, within 5m): a reading alerts exactly when the device's
   * next reading is 5 minutes or more later, or when it is the last reading of the stream.
   */
  @Test
  void deviceSilentAlertsOnGapsOfFiveMinutesOrMore() throws Exception {
    Random random = new Random(7L);
    List<Event> events = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int device = 0; device < 40; device++) {
      String id = "s" + device;
      long second = 0;
      int n = 1 + random.nextInt(8);
      List<Long> times = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        // Gaps around the 300 s limit, including exactly 300 s.
        second += List.of(60L, 200L, 299L, 300L, 301L, 900L).get(random.nextInt(6));
        times.add(second);
        events.add(ev.reading(id + "-" + i, id, 20, 0.1, second));
      }
      for (int i = 0; i < n; i++) {
        boolean silent = i == n - 1 || times.get(i + 1) - times.get(i) >= 300;
        if (silent) {
          expected.add("match deviceId=" + id + " seen=[" + id + "-" + i + "]");
          expected.add(
              "alert deviceId="
                  + id
                  + ": Device "
                  + id
                  + " silent for 5 minutes since "
                  + java.time.Instant.ofEpochMilli(Events.at(times.get(i))));
        }
      }
    }
    assertThat(StaticCep.run(samples.rule("device_silent").orElseThrow(), events))
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  /**
   * repair_overdue (fault then fixed within 2h, no skip, on timeout alert): every FAULT completes
   * with the first FIXED less than 2 h after it, and times out (with its alert) otherwise.
   */
  @Test
  void repairOverdueTimesOutFaultsWithoutATimelyFix() throws Exception {
    Random random = new Random(99L);
    List<Event> events = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int device = 0; device < 40; device++) {
      String id = "m" + device;
      long second = 0;
      int n = 1 + random.nextInt(6);
      List<long[]> faults = new ArrayList<>();
      List<String> actions = new ArrayList<>();
      List<Long> times = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        second += 1 + random.nextInt(6000);
        String action = List.of("FAULT", "FIXED", "CHECK").get(random.nextInt(3));
        actions.add(action);
        times.add(second);
        events.add(ev.maintenance(id + "-" + i, id, action, "t" + i, second));
      }
      for (int i = 0; i < n; i++) {
        if (!actions.get(i).equals("FAULT")) {
          continue;
        }
        int fix = -1;
        for (int j = i + 1; j < n; j++) {
          if (actions.get(j).equals("FIXED")) {
            fix = j;
            break;
          }
        }
        if (fix >= 0 && times.get(fix) - times.get(i) < 7200) {
          expected.add(
              "match deviceId="
                  + id
                  + " fault=["
                  + id
                  + "-"
                  + i
                  + "] fixed=["
                  + id
                  + "-"
                  + fix
                  + "]");
        } else {
          expected.add("timeout deviceId=" + id + " fault=[" + id + "-" + i + "]");
          expected.add(
              "timeout-alert deviceId="
                  + id
                  + ": Device "
                  + id
                  + ": fault reported by t"
                  + i
                  + " not fixed within 2h");
        }
      }
      faults.clear();
    }
    assertThat(StaticCep.run(samples.rule("repair_overdue").orElseThrow(), events))
        .containsExactlyInAnyOrderElementsOf(expected);
  }
}
