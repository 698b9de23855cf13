package io.vigil.runtime.drools;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.event.Event;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.alert.AlertLimits;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.engine.VigilEngine;
import io.vigil.runtime.matcher.DynamicMatcher;
import io.vigil.runtime.matcher.MatcherSettings;
import io.vigil.runtime.routing.Routed;
import io.vigil.runtime.routing.RoutingKeys;
import io.vigil.runtime.rules.compiled.CompilingRuleBuilder;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/**
 * An absence written in DRL ("a fault with no ack on its device within 15 minutes", a {@code not …
 * after} in a stateful session) and the same absence as a pattern rule ({@code then not … within
 * 15m}) raise the same alerts at the same event time: on random histories, the same alerts come out
 * after the same watermark.
 *
 * <p>Times are whole seconds: the DRL interval is closed ({@code after[1ms,14m59s999ms]}, its last
 * instant 1 ms before the pattern's window ends), so the two agree on every watermark that is not
 * that one millisecond.
 */
class AbsenceDifferentialTest {

  static final String PATTERN =
      """
      rule unacked_pattern
        from maintenance
        partition by deviceId
        pattern
          f: action == "FAULT"
          then not ack: action == "ACK"
        within 15m
        alert "{f.eventId}"
      """;

  /**
   * Keeps its facts for an hour: the absence must fire at its deadline (15 minutes), not when the
   * fault's fact expires.
   */
  static final String DRL =
      DecisionSessionsTest.UNACKED.replace("expire after 15m", "expire after 1h");

  private static long alertsSeen;

  @AfterContainer
  static void someTriesRaisedAlerts() {
    // The comparison must not pass on empty outputs only.
    assertThat(alertsSeen).isPositive();
  }

  /** One step: an event {@code gap} seconds after the previous one, then maybe a watermark. */
  record Step(int device, String action, int gapSeconds, int lagSeconds, boolean watermark) {}

  @Provide
  Arbitrary<List<Step>> histories() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 2),
            Arbitraries.of("FAULT", "ACK", "FIXED"),
            Arbitraries.oneOf(
                Arbitraries.integers().between(1, 120),
                Arbitraries.integers().between(800, 1000),
                Arbitraries.of(900)),
            Arbitraries.integers().between(0, 1200),
            Arbitraries.of(true, false))
        .as(Step::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(40);
  }

  @Property(tries = 40, seed = "14")
  void aDrlAbsenceAndThePatternAbsenceRaiseTheSameAlertsAfterTheSameWatermarks(
      @ForAll("histories") List<Step> history) throws Exception {
    List<RuleCommand> commands =
        List.of(
            new RuleCommand.DeclareStream("maintenance", 1, DecisionSessionsTest.STREAM),
            new RuleCommand.UpsertRule("unacked_pattern", 1, PATTERN, Long.MIN_VALUE, false),
            new RuleCommand.UpsertRule(
                "unacked_drl", 1, DRL, Long.MIN_VALUE, false, RuleCommand.Language.DRL));
    try (var matcher = matcher(commands);
        var sessions = sessions(commands)) {
      List<String> fromPattern = new ArrayList<>();
      List<String> fromDrl = new ArrayList<>();
      long time = 1_700_000_000_000L;
      long watermark = Long.MIN_VALUE;
      int n = 0;
      for (Step step : history) {
        time += step.gapSeconds() * 1000L;
        String id = "e" + n++;
        String device = "d" + step.device();
        Event event =
            new Event("maintenance", time, new Object[] {id, device, step.action(), "t", time});
        matcher.processElement1(
            new Routed(RoutingKeys.of("deviceId", List.of(device)), event, true, 0), time);
        sessions.processElement(
            new Routed(
                RoutingKeys.of(
                    DecisionMatchingRule.SESSION_SPEC_PREFIX + "deviceId", List.of(device)),
                event,
                true,
                0),
            time);
        long next = time - step.lagSeconds() * 1000L;
        if (step.watermark() && next > watermark) {
          watermark = next;
          advance(matcher, sessions, watermark, fromPattern, fromDrl);
        }
      }
      advance(matcher, sessions, time + 3_600_000, fromPattern, fromDrl);
      assertThat(fromDrl).isEqualTo(fromPattern);
      alertsSeen += fromDrl.size();
    }
  }

  /** Moves both to {@code watermark}; records what each emitted, with the watermark. */
  private static void advance(
      KeyedTwoInputStreamOperatorTestHarness<String, Routed, RuleCommand, Alert> matcher,
      KeyedBroadcastOperatorTestHarness<String, Routed, RuleCommand, Alert> sessions,
      long watermark,
      List<String> fromPattern,
      List<String> fromDrl)
      throws Exception {
    matcher.processWatermark1(new Watermark(watermark));
    sessions.processWatermark(new Watermark(watermark));
    fromPattern.addAll(emitted(matcher.extractOutputValues(), fromPattern, watermark));
    fromDrl.addAll(emitted(sessions.extractOutputValues(), fromDrl, watermark));
  }

  /** The alerts after the ones already recorded, sorted, each with the watermark it came at. */
  private static List<String> emitted(List<Alert> all, List<String> recorded, long watermark) {
    return all.subList(recorded.size(), all.size()).stream()
        .map(a -> "at " + watermark + ": " + a.key() + " " + a.message())
        .sorted()
        .toList();
  }

  private static KeyedTwoInputStreamOperatorTestHarness<String, Routed, RuleCommand, Alert> matcher(
      List<RuleCommand> commands) throws Exception {
    var h =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new DynamicMatcher(
                new CompilingRuleBuilder(),
                commands,
                VigilEngine.eventSerializer(),
                MatcherSettings.defaults()),
            Routed::key,
            null,
            Types.STRING,
            128,
            1,
            0);
    h.open();
    h.processWatermarkStatus2(WatermarkStatus.IDLE);
    return h;
  }

  private static KeyedBroadcastOperatorTestHarness<String, Routed, RuleCommand, Alert> sessions(
      List<RuleCommand> commands) throws Exception {
    var h =
        new KeyedBroadcastOperatorTestHarness<>(
            new CoBroadcastWithKeyedOperator<>(
                new DecisionSessions(new CompilingRuleBuilder(), commands, AlertLimits.none()),
                List.of(DecisionSessions.COMMANDS)),
            Routed::key,
            Types.STRING,
            128,
            1,
            0);
    h.open();
    h.processBroadcastWatermark(Long.MAX_VALUE);
    return h;
  }
}
