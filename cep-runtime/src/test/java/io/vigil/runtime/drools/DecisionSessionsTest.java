package io.vigil.runtime.drools;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.event.Event;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.alert.AlertLimits;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.routing.Routed;
import io.vigil.runtime.routing.RoutingKeys;
import io.vigil.runtime.rules.compiled.CompilingRuleBuilder;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

class DecisionSessionsTest {

  static final String STREAM =
      """
      stream maintenance
        time ts
        fields
          eventId: string
          deviceId: string
          action: string
          tech: string
          ts: timestamp
      """;

  static final String REPEATED =
      """
      // vigil: streams maintenance
      // vigil: partition by deviceId
      // vigil: expire after 10m
      package ops.repeat;

      rule "second fault within 10 minutes"
      when
        $a : maintenance( action == "FAULT" )
        $b : maintenance( action == "FAULT", this after[1ms,10m] $a )
      then
        alerts.raise("Repeated fault").message($a.getEventId() + " and " + $b.getEventId());
      end
      """;

  /** A fault with no ack on its device within 15 minutes (the last instant 14:59.999 after). */
  static final String UNACKED =
      """
      // vigil: streams maintenance
      // vigil: partition by deviceId
      // vigil: expire after 15m
      package ops.unacked;

      rule "fault without an ack within 15 minutes"
      when
        $f : maintenance( action == "FAULT" )
        not maintenance( action == "ACK", this after[1ms,14m59s999ms] $f )
      then
        alerts.raise("Unacked fault").message($f.getEventId());
      end
      """;

  static Routed event(String id, String device, String action, long ts) {
    String key =
        RoutingKeys.of(DecisionMatchingRule.SESSION_SPEC_PREFIX + "deviceId", List.of(device));
    return new Routed(
        key, new Event("maintenance", ts, new Object[] {id, device, action, "t", ts}), true, 0);
  }

  /** Opened, or restored from {@code snapshot} when not null; the control input is idle. */
  static KeyedBroadcastOperatorTestHarness<String, Routed, RuleCommand, Alert> harness(
      OperatorSubtaskState snapshot) throws Exception {
    var h =
        new KeyedBroadcastOperatorTestHarness<>(
            new CoBroadcastWithKeyedOperator<>(
                new DecisionSessions(new CompilingRuleBuilder(), List.of(), AlertLimits.none()),
                List.of(DecisionSessions.COMMANDS)),
            Routed::key,
            Types.STRING,
            1,
            1,
            0);
    if (snapshot != null) {
      h.initializeState(snapshot);
    }
    h.open();
    h.processBroadcastWatermark(Long.MAX_VALUE);
    return h;
  }

  static List<String> messages(
      KeyedBroadcastOperatorTestHarness<String, Routed, RuleCommand, Alert> h) {
    return h.extractOutputValues().stream().map(a -> a.key() + " " + a.message()).toList();
  }

  @Test
  void events_go_into_the_session_of_their_key_in_event_time_order() throws Exception {
    try (var h = harness(null)) {
      h.processBroadcastElement(new RuleCommand.DeclareStream("maintenance", 1, STREAM), 0);
      h.processBroadcastElement(
          new RuleCommand.UpsertRule(
              "repeated", 1, REPEATED, Long.MIN_VALUE, false, RuleCommand.Language.DRL),
          0);
      // Out of order: e2 first; the session sees e1 then e2.
      h.processElement(event("e2", "d1", "FAULT", 60_000), 60_000);
      h.processElement(event("e1", "d1", "FAULT", 1_000), 1_000);
      h.processElement(event("x1", "d2", "FAULT", 1_000), 1_000);
      h.processWatermark(new Watermark(100_000));
      assertThat(messages(h))
          .as("flags: %s", h.getSideOutput(DecisionSessions.STATUS))
          .containsExactly("{deviceId=d1} e1 and e2");
    }
  }

  @Test
  void a_restored_operator_replays_the_facts_of_a_key_into_a_new_session() throws Exception {
    OperatorSubtaskState snapshot;
    try (var h = harness(null)) {
      h.processBroadcastElement(new RuleCommand.DeclareStream("maintenance", 1, STREAM), 0);
      h.processBroadcastElement(
          new RuleCommand.UpsertRule(
              "repeated", 1, REPEATED, Long.MIN_VALUE, false, RuleCommand.Language.DRL),
          0);
      h.processElement(event("e1", "d1", "FAULT", 1_000), 1_000);
      h.processWatermark(new Watermark(2_000));
      snapshot = h.snapshot(1, 3_000);
    }
    try (var h = harness(snapshot)) {
      h.processElement(event("e2", "d1", "FAULT", 60_000), 60_000);
      // 10 min 19 s after e1 (expired), 9 min 20 s after e2
      h.processElement(event("e3", "d1", "FAULT", 620_000), 620_000);
      h.processWatermark(new Watermark(800_000));
      assertThat(messages(h)).containsExactly("{deviceId=d1} e1 and e2", "{deviceId=d1} e2 and e3");
    }
  }

  @Test
  void an_absence_fires_when_the_watermark_passes_its_deadline_with_no_other_event()
      throws Exception {
    try (var h = harness(null)) {
      h.processBroadcastElement(new RuleCommand.DeclareStream("maintenance", 1, STREAM), 0);
      h.processBroadcastElement(
          new RuleCommand.UpsertRule(
              "unacked", 1, UNACKED, Long.MIN_VALUE, false, RuleCommand.Language.DRL),
          0);
      h.processElement(event("f1", "d1", "FAULT", 0), 0);
      h.processElement(event("f2", "d2", "FAULT", 1_000), 1_000);
      h.processElement(event("a2", "d2", "ACK", 60_000), 60_000);
      h.processWatermark(new Watermark(899_998));
      assertThat(messages(h)).isEmpty();
      h.processWatermark(new Watermark(899_999));
      assertThat(messages(h)).containsExactly("{deviceId=d1} f1");
    }
  }

  @Test
  void a_restored_operator_fires_a_pending_absence_at_its_deadline() throws Exception {
    OperatorSubtaskState snapshot;
    try (var h = harness(null)) {
      h.processBroadcastElement(new RuleCommand.DeclareStream("maintenance", 1, STREAM), 0);
      h.processBroadcastElement(
          new RuleCommand.UpsertRule(
              "unacked", 1, UNACKED, Long.MIN_VALUE, false, RuleCommand.Language.DRL),
          0);
      h.processElement(event("f1", "d1", "FAULT", 0), 0);
      h.processElement(event("f2", "d1", "FAULT", 120_000), 120_000);
      h.processWatermark(new Watermark(300_000));
      snapshot = h.snapshot(1, 3_000);
    }
    try (var h = harness(snapshot)) {
      // f2 is acked within its window; f1 is not: it fires at its deadline after the restore.
      h.processElement(event("a1", "d1", "ACK", 900_000), 900_000);
      h.processWatermark(new Watermark(899_998));
      assertThat(messages(h)).isEmpty();
      h.processWatermark(new Watermark(899_999));
      assertThat(messages(h)).containsExactly("{deviceId=d1} f1");
      h.processWatermark(new Watermark(5_000_000));
      assertThat(messages(h)).containsExactly("{deviceId=d1} f1");
    }
  }

  @Test
  void a_session_replayed_after_a_restore_does_not_raise_again_what_time_passing_raised_before()
      throws Exception {
    String keptAnHour = UNACKED.replace("expire after 15m", "expire after 1h");
    OperatorSubtaskState snapshot;
    try (var h = harness(null)) {
      h.processBroadcastElement(new RuleCommand.DeclareStream("maintenance", 1, STREAM), 0);
      h.processBroadcastElement(
          new RuleCommand.UpsertRule(
              "unacked", 1, keptAnHour, Long.MIN_VALUE, false, RuleCommand.Language.DRL),
          0);
      h.processElement(event("f1", "d1", "FAULT", 0), 0);
      h.processWatermark(new Watermark(1_000_000));
      assertThat(messages(h)).containsExactly("{deviceId=d1} f1");
      snapshot = h.snapshot(1, 3_000);
    }
    try (var h = harness(snapshot)) {
      // The fault's fact is still live: the session is replayed when it expires, at 1 h.
      h.processElement(event("f2", "d1", "FAULT", 3_000_000), 3_000_000);
      h.processWatermark(new Watermark(3_000_000 + 899_999));
      assertThat(messages(h)).containsExactly("{deviceId=d1} f2");
    }
  }
}
