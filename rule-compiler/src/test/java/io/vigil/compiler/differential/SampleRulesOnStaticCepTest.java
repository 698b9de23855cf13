package io.vigil.compiler.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.Samples;
import io.vigil.compiler.event.Event;
import io.vigil.compiler.rule.Compilation;
import io.vigil.compiler.rule.CompiledRule;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each sample rule of the issue, compiled and run through Flink's static CEP on a MiniCluster, on
 * hand-written scenarios whose outcomes were worked out by hand. One job per rule: each scenario
 * uses its own partition key, so scenarios do not interfere. Times are seconds from a base.
 */
class SampleRulesOnStaticCepTest {

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
    assertThat(samples.diagnostics()).isEmpty();
    ev = new Events(samples.streams());
  }

  static CompiledRule rule(String id) {
    return samples.rule(id).orElseThrow();
  }

  @Test
  void cardTesting() throws Exception {
    List<Event> e = new ArrayList<>();
    // c1: three consecutive tiny approved charges, an unrelated charge, then a big one: a match.
    e.add(ev.payment("c1-1", "c1", "1.00", "APPROVED", "USD", "kiosk", "US", "ONLINE", 0));
    e.add(ev.payment("c1-2", "c1", "0.50", "APPROVED", "USD", "kiosk", "US", "ONLINE", 10));
    e.add(ev.payment("c1-3", "c1", "1.99", "APPROVED", "USD", "kiosk", "US", "ONLINE", 20));
    e.add(ev.payment("c1-4", "c1", "50.00", "APPROVED", "USD", "cafe", "US", "POS", 30));
    e.add(ev.payment("c1-5", "c1", "600.00", "APPROVED", "USD", "tv-shop", "US", "POS", 40));
    // c2: the tiny run is broken by a 5.00 charge (consecutive): no match.
    e.add(ev.payment("c2-1", "c2", "1.00", "APPROVED", "USD", "kiosk", "US", "ONLINE", 0));
    e.add(ev.payment("c2-2", "c2", "1.00", "APPROVED", "USD", "kiosk", "US", "ONLINE", 10));
    e.add(ev.payment("c2-3", "c2", "5.00", "APPROVED", "USD", "kiosk", "US", "ONLINE", 20));
    e.add(ev.payment("c2-4", "c2", "1.00", "APPROVED", "USD", "kiosk", "US", "ONLINE", 30));
    e.add(ev.payment("c2-5", "c2", "900.00", "APPROVED", "USD", "tv-shop", "US", "POS", 40));
    // c3: the first big charge is in another currency than the first tiny one; the second matches.
    e.add(ev.payment("c3-1", "c3", "1.00", "APPROVED", "EUR", "kiosk", "FR", "ONLINE", 0));
    e.add(ev.payment("c3-2", "c3", "1.00", "APPROVED", "EUR", "kiosk", "FR", "ONLINE", 10));
    e.add(ev.payment("c3-3", "c3", "1.00", "APPROVED", "EUR", "kiosk", "FR", "ONLINE", 20));
    e.add(ev.payment("c3-4", "c3", "700.00", "APPROVED", "USD", "tv-shop", "FR", "POS", 30));
    e.add(ev.payment("c3-5", "c3", "500", "APPROVED", "EUR", "bikes", "FR", "POS", 40));
    // c4: the big charge comes 700 s after the first tiny one: outside `within 10m`.
    e.add(ev.payment("c4-1", "c4", "1.00", "APPROVED", "USD", "kiosk", "US", "ONLINE", 0));
    e.add(ev.payment("c4-2", "c4", "1.00", "APPROVED", "USD", "kiosk", "US", "ONLINE", 10));
    e.add(ev.payment("c4-3", "c4", "1.00", "APPROVED", "USD", "kiosk", "US", "ONLINE", 20));
    e.add(ev.payment("c4-4", "c4", "800.00", "APPROVED", "USD", "tv-shop", "US", "POS", 700));
    // c5: declined tiny charges do not count.
    e.add(ev.payment("c5-1", "c5", "1.00", "DECLINED", "USD", "kiosk", "US", "ONLINE", 0));
    e.add(ev.payment("c5-2", "c5", "1.00", "DECLINED", "USD", "kiosk", "US", "ONLINE", 10));
    e.add(ev.payment("c5-3", "c5", "1.00", "DECLINED", "USD", "kiosk", "US", "ONLINE", 20));
    e.add(ev.payment("c5-4", "c5", "800.00", "APPROVED", "USD", "tv-shop", "US", "POS", 30));

    assertThat(StaticCep.run(rule("card_testing"), e))
        .containsExactly(
            "alert cardId=c1: Card c1: 3 tiny charges then 600.00 USD at tv-shop",
            "alert cardId=c3: Card c3: 3 tiny charges then 500 EUR at bikes",
            "match cardId=c1 tiny=[c1-1,c1-2,c1-3] big=[c1-5]",
            "match cardId=c3 tiny=[c3-1,c3-2,c3-3] big=[c3-5]");
  }

  @Test
  void accountTakeover() throws Exception {
    List<Event> e = new ArrayList<>();
    // a1: five failures from RU (a payment in between is skipped: relaxed), success from FR, spend.
    for (int i = 1; i <= 5; i++) {
      e.add(ev.login("a1-l" + i, "a1", false, "RU", i * 10));
    }
    e.add(ev.spend("a1-p1", "a1", "20.00", 55));
    e.add(ev.login("a1-l6", "a1", true, "FR", 60));
    e.add(ev.spend("a1-p2", "a1", "1500.00", 70));
    // a2: the success comes from the country of the last failure: no match.
    for (int i = 1; i <= 5; i++) {
      e.add(ev.login("a2-l" + i, "a2", false, "RU", i * 10));
    }
    e.add(ev.login("a2-l6", "a2", true, "RU", 60));
    e.add(ev.spend("a2-p1", "a2", "1500.00", 70));
    // a3: six failures: no skip gives every run of >= 5 that reaches the success: 1-5, 1-6, 2-6.
    for (int i = 1; i <= 6; i++) {
      e.add(ev.login("a3-l" + i, "a3", false, i == 6 ? "DE" : "RU", i * 10));
    }
    e.add(ev.login("a3-l7", "a3", true, "FR", 70));
    e.add(ev.spend("a3-p1", "a3", "1001", 80));
    // a4: four failures are not enough.
    for (int i = 1; i <= 4; i++) {
      e.add(ev.login("a4-l" + i, "a4", false, "RU", i * 10));
    }
    e.add(ev.login("a4-l5", "a4", true, "FR", 60));
    e.add(ev.spend("a4-p1", "a4", "5000.00", 70));

    assertThat(StaticCep.run(rule("account_takeover"), e))
        .containsExactly(
            "alert accountId=a1: Account a1: 5 failed logins, success from FR, then 1500.00 spent",
            "alert accountId=a3: Account a3: 5 failed logins, success from FR, then 1001 spent",
            "alert accountId=a3: Account a3: 5 failed logins, success from FR, then 1001 spent",
            "alert accountId=a3: Account a3: 6 failed logins, success from FR, then 1001 spent",
            "match accountId=a1 fails=[a1-l1,a1-l2,a1-l3,a1-l4,a1-l5] ok=[a1-l6] spend=[a1-p2]",
            "match accountId=a3 fails=[a3-l1,a3-l2,a3-l3,a3-l4,a3-l5,a3-l6] ok=[a3-l7] spend=[a3-p1]",
            "match accountId=a3 fails=[a3-l1,a3-l2,a3-l3,a3-l4,a3-l5] ok=[a3-l7] spend=[a3-p1]",
            "match accountId=a3 fails=[a3-l2,a3-l3,a3-l4,a3-l5,a3-l6] ok=[a3-l7] spend=[a3-p1]");
  }

  @Test
  void impossibleTravel() throws Exception {
    List<Event> e = new ArrayList<>();
    // i1: POS in US then POS in FR right after: a match; the next POS (FR again) is the same
    // country.
    e.add(ev.payment("i1-1", "i1", "10.00", "APPROVED", "USD", "m", "US", "POS", 0));
    e.add(ev.payment("i1-2", "i1", "10.00", "APPROVED", "EUR", "m", "FR", "POS", 60));
    e.add(ev.payment("i1-3", "i1", "10.00", "APPROVED", "EUR", "m", "FR", "POS", 120));
    // i2: an online payment between the two POS payments breaks `next`.
    e.add(ev.payment("i2-1", "i2", "10.00", "APPROVED", "USD", "m", "US", "POS", 0));
    e.add(ev.payment("i2-2", "i2", "10.00", "APPROVED", "USD", "m", "US", "ONLINE", 30));
    e.add(ev.payment("i2-3", "i2", "10.00", "APPROVED", "EUR", "m", "FR", "POS", 60));
    // i3: more than an hour apart.
    e.add(ev.payment("i3-1", "i3", "10.00", "APPROVED", "USD", "m", "US", "POS", 0));
    e.add(ev.payment("i3-2", "i3", "10.00", "APPROVED", "EUR", "m", "FR", "POS", 3700));

    assertThat(StaticCep.run(rule("impossible_travel"), e))
        .containsExactly(
            "alert cardId=i1: Card i1 used in US then in FR", "match cardId=i1 a=[i1-1] b=[i1-2]");
  }

  @Test
  void splitPurchases() throws Exception {
    List<Event> e = new ArrayList<>();
    // s1: three purchases just under 1000 at one merchant. `then any` pairs each with every later
    // one; `skip to next` drops the other partial matches of a start once it matched: (1,2), (2,3).
    e.add(ev.payment("s1-1", "s1", "950.00", "APPROVED", "USD", "M1", "US", "POS", 0));
    e.add(ev.payment("s1-2", "s1", "960.00", "APPROVED", "USD", "M1", "US", "POS", 10));
    e.add(ev.payment("s1-3", "s1", "970.00", "APPROVED", "USD", "M1", "US", "POS", 20));
    // s2: different merchants.
    e.add(ev.payment("s2-1", "s2", "950.00", "APPROVED", "USD", "M1", "US", "POS", 0));
    e.add(ev.payment("s2-2", "s2", "950.00", "APPROVED", "USD", "M2", "US", "POS", 10));
    // s3: 1000 is not under 1000.
    e.add(ev.payment("s3-1", "s3", "1000.00", "APPROVED", "USD", "M1", "US", "POS", 0));
    e.add(ev.payment("s3-2", "s3", "999.99", "APPROVED", "USD", "M1", "US", "POS", 10));

    assertThat(StaticCep.run(rule("split_purchases"), e))
        .containsExactly(
            "alert cardId=s1: Card s1: two purchases just under 1000 at M1",
            "alert cardId=s1: Card s1: two purchases just under 1000 at M1",
            "match cardId=s1 a=[s1-1] b=[s1-2]",
            "match cardId=s1 a=[s1-2] b=[s1-3]");
  }

  @Test
  void overheatingUnattended() throws Exception {
    List<Event> e = new ArrayList<>();
    // o1: three hot readings and no ack: a match once the 15 minutes are over.
    e.add(ev.reading("o1-1", "o1", 95, 0.1, 0));
    e.add(ev.reading("o1-2", "o1", 97, 0.1, 60));
    e.add(ev.reading("o1-3", "o1", 96, 0.1, 120));
    // o2: acknowledged within 15 minutes: no match.
    e.add(ev.reading("o2-1", "o2", 95, 0.1, 0));
    e.add(ev.reading("o2-2", "o2", 95, 0.1, 60));
    e.add(ev.reading("o2-3", "o2", 95, 0.1, 120));
    e.add(ev.maintenance("o2-m", "o2", "ACK", "ann", 300));
    // o3: a cool reading breaks the run.
    e.add(ev.reading("o3-1", "o3", 95, 0.1, 0));
    e.add(ev.reading("o3-2", "o3", 95, 0.1, 60));
    e.add(ev.reading("o3-3", "o3", 50, 0.1, 120));
    e.add(ev.reading("o3-4", "o3", 95, 0.1, 180));
    // o4: four hot readings: two runs of exactly three (no skip).
    e.add(ev.reading("o4-1", "o4", 91, 0.1, 0));
    e.add(ev.reading("o4-2", "o4", 92, 0.1, 60));
    e.add(ev.reading("o4-3", "o4", 93, 0.1, 120));
    e.add(ev.reading("o4-4", "o4", 98.5, 0.1, 180));

    assertThat(StaticCep.run(rule("overheating_unattended"), e))
        .containsExactly(
            "alert deviceId=o1: Device o1 at site-o1: 3 readings above 90 (max 97.0), no ack",
            "alert deviceId=o4: Device o4 at site-o4: 3 readings above 90 (max 93.0), no ack",
            "alert deviceId=o4: Device o4 at site-o4: 3 readings above 90 (max 98.5), no ack",
            "match deviceId=o1 hot=[o1-1,o1-2,o1-3]",
            "match deviceId=o4 hot=[o4-1,o4-2,o4-3]",
            "match deviceId=o4 hot=[o4-2,o4-3,o4-4]");
  }

  @Test
  void deviceSilent() throws Exception {
    List<Event> e = new ArrayList<>();
    // d1: readings a minute apart: only the last one is followed by five silent minutes.
    e.add(ev.reading("d1-1", "d1", 20, 0.1, 0));
    e.add(ev.reading("d1-2", "d1", 20, 0.1, 60));
    e.add(ev.reading("d1-3", "d1", 20, 0.1, 120));
    // d2: a 400 s gap after the first reading, and the stream ends after the second.
    e.add(ev.reading("d2-1", "d2", 20, 0.1, 0));
    e.add(ev.reading("d2-2", "d2", 20, 0.1, 400));

    assertThat(StaticCep.run(rule("device_silent"), e))
        .containsExactly(
            "alert deviceId=d1: Device d1 silent for 5 minutes since 2026-01-01T00:02:00Z",
            "alert deviceId=d2: Device d2 silent for 5 minutes since 2026-01-01T00:00:00Z",
            "alert deviceId=d2: Device d2 silent for 5 minutes since 2026-01-01T00:06:40Z",
            "match deviceId=d1 seen=[d1-3]",
            "match deviceId=d2 seen=[d2-1]",
            "match deviceId=d2 seen=[d2-2]");
  }

  @Test
  void repairOverdue() throws Exception {
    List<Event> e = new ArrayList<>();
    // r1: fixed within 2 h: a match but no alert (the rule alerts on timeout only).
    e.add(ev.maintenance("r1-1", "r1", "FAULT", "ann", 0));
    e.add(ev.maintenance("r1-2", "r1", "FIXED", "ann", 3600));
    // r2: never fixed: a timed-out partial match, with its alert.
    e.add(ev.maintenance("r2-1", "r2", "FAULT", "bob", 0));
    // r3: fixed too late: the fault times out.
    e.add(ev.maintenance("r3-1", "r3", "FAULT", "cy", 0));
    e.add(ev.maintenance("r3-2", "r3", "FIXED", "cy", 7300));
    // r4: two faults, one fix: both partial matches complete (no skip).
    e.add(ev.maintenance("r4-1", "r4", "FAULT", "dee", 0));
    e.add(ev.maintenance("r4-2", "r4", "FAULT", "eve", 60));
    e.add(ev.maintenance("r4-3", "r4", "FIXED", "eve", 120));

    assertThat(StaticCep.run(rule("repair_overdue"), e))
        .containsExactly(
            "match deviceId=r1 fault=[r1-1] fixed=[r1-2]",
            "match deviceId=r4 fault=[r4-1] fixed=[r4-3]",
            "match deviceId=r4 fault=[r4-2] fixed=[r4-3]",
            "timeout deviceId=r2 fault=[r2-1]",
            "timeout deviceId=r3 fault=[r3-1]",
            "timeout-alert deviceId=r2: Device r2: fault reported by bob not fixed within 2h",
            "timeout-alert deviceId=r3: Device r3: fault reported by cy not fixed within 2h");
  }

  @Test
  void vibrationBurst() throws Exception {
    List<Event> e = new ArrayList<>();
    // v1: four strong readings then a calm one: a match, average 3.5 > 3.0: an alert.
    double[] v1 = {3.0, 3.5, 4.0, 3.5};
    for (int i = 0; i < v1.length; i++) {
      e.add(ev.reading("v1-" + (i + 1), "v1", 20, v1[i], i * 10));
    }
    e.add(ev.reading("v1-5", "v1", 20, 0.5, 40));
    // v2: five weak rises (2.6) then calm: one match (skip past last event keeps the earliest),
    // but its average fails `having`: no alert.
    for (int i = 0; i < 5; i++) {
      e.add(ev.reading("v2-" + (i + 1), "v2", 20, 2.6, i * 10));
    }
    e.add(ev.reading("v2-6", "v2", 20, 0.2, 50));
    // v3: three rises only.
    for (int i = 0; i < 3; i++) {
      e.add(ev.reading("v3-" + (i + 1), "v3", 20, 5.0, i * 10));
    }
    e.add(ev.reading("v3-4", "v3", 20, 0.2, 30));
    // v4: the calm reading does not come right after the rises (next): no match.
    for (int i = 0; i < 4; i++) {
      e.add(ev.reading("v4-" + (i + 1), "v4", 20, 5.0, i * 10));
    }
    e.add(ev.reading("v4-5", "v4", 20, 2.0, 40));
    e.add(ev.reading("v4-6", "v4", 20, 0.2, 50));

    assertThat(StaticCep.run(rule("vibration_burst"), e))
        .containsExactly(
            "alert deviceId=v1: Device v1: 4 readings averaging 3.5",
            "match deviceId=v1 rise=[v1-1,v1-2,v1-3,v1-4] calm=[v1-5]",
            "match deviceId=v2 rise=[v2-1,v2-2,v2-3,v2-4,v2-5] calm=[v2-6]");
  }

  @Test
  void flappingSensor() throws Exception {
    List<Event> e = new ArrayList<>();
    // f1: three hot/cold pairs within 10 minutes: one match (skip past last event).
    double[] f1 = {85, 10, 85, 10, 85, 10};
    for (int i = 0; i < f1.length; i++) {
      e.add(ev.reading("f1-" + (i + 1), "f1", f1[i], 0.1, i * 10));
    }
    // f2: two pairs only.
    double[] f2 = {85, 10, 85, 10};
    for (int i = 0; i < f2.length; i++) {
      e.add(ev.reading("f2-" + (i + 1), "f2", f2[i], 0.1, i * 10));
    }
    // f3: three pairs spread over more than 10 minutes.
    double[] f3 = {85, 10, 85, 10, 85, 10};
    for (int i = 0; i < f3.length; i++) {
      e.add(ev.reading("f3-" + (i + 1), "f3", f3[i], 0.1, i * 150));
    }

    assertThat(StaticCep.run(rule("flapping_sensor"), e))
        .containsExactly(
            "alert deviceId=f1: Sensor f1 flapping",
            "match deviceId=f1 hi=[f1-1,f1-3,f1-5] lo=[f1-2,f1-4,f1-6]");
  }
}
