package io.vigil.compiler.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.Samples;
import io.vigil.compiler.event.Event;
import io.vigil.compiler.rule.CompiledRule;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Constructs the sample rules do not use, on static Flink CEP with hand-worked expectations. */
class ConstructsOnStaticCepTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static final Events EV = new Events(Samples.compileWithSampleStreams("").streams());

  static CompiledRule rule(String pattern, String clauses) {
    return Samples.compileRule(
        """
        rule r
          severity low
          from readings
          partition by deviceId
          pattern
            %s
          %s
          alert "{deviceId}"
        """
            .formatted(pattern, clauses));
  }

  /** max gap 30s: each event of a match less than 30 s after the previous one. */
  @Test
  void maxGapBoundsTheTimeBetweenConsecutiveEvents() throws Exception {
    CompiledRule rule =
        rule("a: temperature > 1 then b: temperature > 5", "within 1h\n  max gap 30s");
    List<Event> events =
        List.of(
            // g1: 20 s apart: a match.
            EV.reading("g1-1", "g1", 2, 0, 0),
            EV.reading("g1-2", "g1", 6, 0, 20),
            // g2: 40 s apart: none.
            EV.reading("g2-1", "g2", 2, 0, 0),
            EV.reading("g2-2", "g2", 6, 0, 40),
            // g3: the first a is too far from b, the second a (at 20 s) is close enough.
            EV.reading("g3-1", "g3", 2, 0, 0),
            EV.reading("g3-2", "g3", 2, 0, 20),
            EV.reading("g3-3", "g3", 6, 0, 40));
    assertThat(StaticCep.run(rule, events))
        .containsExactly(
            "alert deviceId=g1: g1",
            "alert deviceId=g3: g3",
            "match deviceId=g1 a=[g1-1] b=[g1-2]",
            "match deviceId=g3 a=[g3-2] b=[g3-3]");
  }

  /** not next: the event right after `a` must not satisfy `b`. */
  @Test
  void notNextForbidsTheImmediatelyFollowingEvent() throws Exception {
    CompiledRule rule =
        rule("a: temperature > 90 not next b: vibration > 5 then c: temperature < 20", "within 1h");
    List<Event> events =
        List.of(
            EV.reading("n1-1", "n1", 95, 0, 0),
            EV.reading("n1-2", "n1", 50, 1, 10),
            EV.reading("n1-3", "n1", 10, 0, 20),
            EV.reading("n2-1", "n2", 95, 0, 0),
            EV.reading("n2-2", "n2", 50, 9, 10),
            EV.reading("n2-3", "n2", 10, 0, 20));
    assertThat(StaticCep.run(rule, events))
        .containsExactly("alert deviceId=n1: n1", "match deviceId=n1 a=[n1-1] c=[n1-3]");
  }

  /** skip to last b: the next match may start at the last event of b in the previous one. */
  @Test
  void skipToLastRestartsAtTheNamedStage() throws Exception {
    CompiledRule rule =
        rule("a: temperature > 50 next b: temperature > 50", "within 1h\n  skip to last b");
    List<Event> events =
        List.of(
            EV.reading("k1-1", "k1", 60, 0, 0),
            EV.reading("k1-2", "k1", 61, 0, 10),
            EV.reading("k1-3", "k1", 62, 0, 20));
    assertThat(StaticCep.run(rule, events))
        .containsExactly(
            "alert deviceId=k1: k1",
            "alert deviceId=k1: k1",
            "match deviceId=k1 a=[k1-1] b=[k1-2]",
            "match deviceId=k1 a=[k1-2] b=[k1-3]");
  }
}
