package io.vigil.runtime.matcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.event.Event;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.engine.VigilEngine;
import io.vigil.runtime.routing.Routed;
import io.vigil.runtime.routing.RoutingKeys;
import io.vigil.runtime.rules.compiled.CompilingRuleBuilder;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The key's wake index across drains, with compiled rules (whose conditions name the texts that
 * wake a partial match): an entry goes when the rule's partial matches change, and rules that see
 * no event of a drain still time out when their window ends.
 */
class MatcherWakeIndexTest {

  private static final String STREAM =
      """
      stream s
        time ts
        lateness 0s
        fields
          key: string
          kind: string
          x: string
          ts: timestamp
      """;

  /** Waits, after an A, for any event with the same x (the text that wakes it). */
  private static final String SAME_X =
      """
      rule same_x
        from s
        partition by key
        pattern
          a: kind == "A"
          then b: x == a.x
        within 1h
        alert "same x"
      """;

  private static final String OVERDUE =
      """
      rule overdue
        from s
        partition by key
        pattern
          f: kind == "FAULT"
          then fixed: kind == "FIXED"
        within 10m
        on timeout alert "overdue"
      """;

  private static final long MINUTE = 60_000;

  private KeyedTwoInputStreamOperatorTestHarness<String, Routed, RuleCommand, Alert> harness;

  @BeforeEach
  void start() throws Exception {
    DynamicMatcher matcher =
        new DynamicMatcher(
            new CompilingRuleBuilder(),
            List.of(
                new RuleCommand.DeclareStream("s", 1, STREAM),
                new RuleCommand.UpsertRule("same_x", 1, SAME_X, 0, false),
                new RuleCommand.UpsertRule("overdue", 1, OVERDUE, 0, false)),
            VigilEngine.eventSerializer(),
            MatcherSettings.defaults());
    harness =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            matcher, Routed::key, null, Types.STRING, 128, 1, 0);
    harness.open();
    harness.processWatermarkStatus2(WatermarkStatus.IDLE);
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  private void send(String kind, String x, long ts) throws Exception {
    Event e = new Event("s", ts, new Object[] {"k", kind, x, ts});
    harness.processElement1(new Routed(RoutingKeys.of("key", List.of("k")), e, true, 0), ts);
  }

  private void watermark(long time) throws Exception {
    harness.processWatermark1(new Watermark(time));
  }

  private List<String> alerts() {
    return harness.extractOutputValues().stream()
        .map(
            a -> {
              StringBuilder out = new StringBuilder(a.ruleId() + " " + a.kind());
              a.events()
                  .forEach(
                      (stage, events) ->
                          events.forEach(
                              ev ->
                                  out.append(' ').append(stage).append('@').append(ev.get("ts"))));
              return out.toString();
            })
        .toList();
  }

  @Test
  void aRuleWhosePartialMatchesChangedIsWokenByWhatWakesThemNow() throws Exception {
    // One drain of two events: the A leaves a partial match waiting for x == "1", and the rule is
    // indexed under that text (and its start's kind == "A").
    send("A", "1", 10);
    send("F", "9", 11);
    watermark(20);
    // One event alone: a second partial match now waits for x == "2".
    send("A", "2", 30);
    watermark(40);
    // Only what wakes the rule now sees this event; an index entry left from the first drain would
    // not name x == "2".
    send("G", "2", 50);
    watermark(60);
    assertThat(alerts())
        .containsExactly("same_x MATCH a@1970-01-01T00:00:00.030Z b@1970-01-01T00:00:00.050Z");
  }

  @Test
  void aRuleThatSeesNoEventOfADrainStillTimesOutAtTheEndOfItsWindow() throws Exception {
    send("FAULT", "1", 0);
    watermark(1);
    // Later events of the key wake only `same_x`; `overdue` times out when the watermark passes
    // its window, with no event of its own.
    send("A", "1", 5 * MINUTE);
    send("B", "3", 6 * MINUTE);
    watermark(9 * MINUTE);
    assertThat(alerts()).isEmpty();
    send("C", "3", 11 * MINUTE);
    watermark(11 * MINUTE);
    assertThat(alerts()).containsExactly("overdue TIMEOUT f@1970-01-01T00:00:00Z");
  }
}
