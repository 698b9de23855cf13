package io.vigil.runtime.drools;

import static io.vigil.runtime.drools.DecisionSessionsTest.STREAM;
import static io.vigil.runtime.drools.DecisionSessionsTest.UNACKED;
import static io.vigil.runtime.drools.DecisionSessionsTest.event;
import static io.vigil.runtime.drools.DecisionSessionsTest.harness;
import static io.vigil.runtime.drools.DecisionSessionsTest.messages;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import io.vigil.runtime.rules.RuleBook;
import io.vigil.runtime.rules.compiled.CompilingRuleBuilder;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.junit.jupiter.api.Test;

/**
 * The alerts of a stateful DRL rule set are facts of the rule sets of its partition that read them
 * ({@code // vigil: alerts of}); a rule set that would read its own alerts is rejected.
 */
class DecisionAlertReadsTest {

  /** Escalates every alert of the rule sets it reads, on the same device. */
  static String escalation(String id, String reads) {
    return """
        // vigil: streams maintenance
        // vigil: partition by deviceId
        // vigil: expire after 1h
        // vigil: alerts of %s
        package ops.%s;

        rule "escalate"
        when
          $a : PatternAlert()
        then
          alerts.raise("Escalated").severity("critical").references($a)
              .message("escalated " + $a.getRuleId() + ": " + $a.getMessage());
        end
        """
        .formatted(reads, id);
  }

  static RuleCommand.UpsertRule drl(String id, long version, String source) {
    return new RuleCommand.UpsertRule(
        id, version, source, Long.MIN_VALUE, false, RuleCommand.Language.DRL);
  }

  @Test
  void the_alerts_of_a_stateful_rule_set_are_facts_of_its_readers_after_the_watermark()
      throws Exception {
    try (var h = harness(null)) {
      h.processBroadcastElement(new RuleCommand.DeclareStream("maintenance", 1, STREAM), 0);
      h.processBroadcastElement(drl("unacked", 1, UNACKED), 0);
      h.processBroadcastElement(drl("escalate", 1, escalation("escalate", "unacked")), 0);
      h.processBroadcastElement(
          drl("escalate_more", 1, escalation("escalate_more", "escalate")), 0);
      h.processElement(event("f1", "d1", "FAULT", 0), 0);
      h.processWatermark(new Watermark(899_999));
      assertThat(messages(h)).containsExactly("{deviceId=d1} f1");
      // Each reader takes the alert after the watermark that raised it, as a pattern alert.
      h.processWatermark(new Watermark(900_000));
      h.processWatermark(new Watermark(900_001));
      assertThat(messages(h))
          .containsExactly(
              "{deviceId=d1} f1",
              "{deviceId=d1} escalated unacked: f1",
              "{deviceId=d1} escalated escalate: escalated unacked: f1");
    }
  }

  @Test
  void a_rule_set_closing_a_cycle_of_alert_reads_is_rejected_and_the_others_keep_running()
      throws Exception {
    RuleBook book = new RuleBook(new CompilingRuleBuilder());
    book.apply(new RuleCommand.DeclareStream("maintenance", 1, STREAM));
    assertThat(book.apply(drl("first", 1, escalation("first", "unacked"))))
        .extracting(RuleBook.Outcome::state)
        .containsExactly(RuleStatus.State.ACTIVE);
    assertThat(book.apply(drl("second", 1, escalation("second", "first"))))
        .extracting(RuleBook.Outcome::state)
        .containsExactly(RuleStatus.State.ACTIVE);
    List<RuleBook.Outcome> closing = book.apply(drl("first", 2, escalation("first", "second")));
    assertThat(closing)
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.state()).isEqualTo(RuleStatus.State.REJECTED);
              assertThat(o.message())
                  .isEqualTo(
                      "rule set first would read its own alerts: first -> second -> first (each"
                          + " reads the alerts of the next)");
            });
    assertThat(book.entry("first").orElseThrow().version()).isEqualTo(1);

    // The sessions refuse it alike: version 1 of `first` goes on reading `unacked`.
    try (var h = harness(null)) {
      h.processBroadcastElement(new RuleCommand.DeclareStream("maintenance", 1, STREAM), 0);
      h.processBroadcastElement(drl("unacked", 1, UNACKED), 0);
      h.processBroadcastElement(drl("first", 1, escalation("first", "unacked")), 0);
      h.processBroadcastElement(drl("second", 1, escalation("second", "first")), 0);
      h.processBroadcastElement(drl("first", 2, escalation("first", "second")), 0);
      h.processElement(event("f1", "d1", "FAULT", 0), 0);
      for (long w = 899_999; w < 899_999 + 5; w++) {
        h.processWatermark(new Watermark(w));
      }
      assertThat(messages(h))
          .containsExactly(
              "{deviceId=d1} f1",
              "{deviceId=d1} escalated unacked: f1",
              "{deviceId=d1} escalated first: escalated unacked: f1");
    }
  }
}
