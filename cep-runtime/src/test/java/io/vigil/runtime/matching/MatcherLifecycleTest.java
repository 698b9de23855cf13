package io.vigil.runtime.matching;

import static io.vigil.runtime.matching.HandBuiltRules.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.event.Event;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import io.vigil.runtime.engine.VigilEngine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rule lifecycle on the real matcher operator, driven by Flink's operator test harness (exact
 * control over the order of rules, events, watermarks and snapshots).
 */
class MatcherLifecycleTest {

  private static final List<RuleCommand> STREAMS =
      List.of(HandBuiltRules.declare("s"), HandBuiltRules.declare("t"));

  private KeyedBroadcastOperatorTestHarness<String, Routed, RuleCommand, Alert> harness;

  @BeforeEach
  void start() throws Exception {
    harness = harness(new MatcherSettings(3, Duration.ofMillis(100)), null);
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  static KeyedBroadcastOperatorTestHarness<String, Routed, RuleCommand, Alert> harness(
      MatcherSettings settings, OperatorSubtaskState restoreFrom) throws Exception {
    DynamicMatcher matcher =
        new DynamicMatcher(
            new HandBuiltRules.Builder(), STREAMS, VigilEngine.eventSerializer(), settings);
    KeyedBroadcastOperatorTestHarness<String, Routed, RuleCommand, Alert> h =
        new KeyedBroadcastOperatorTestHarness<>(
            new CoBroadcastWithKeyedOperator<>(matcher, List.of(DynamicMatcher.RULES)),
            Routed::key,
            Types.STRING,
            1,
            1,
            0);
    if (restoreFrom != null) {
      h.initializeState(restoreFrom);
    }
    h.open();
    return h;
  }

  private void send(Event e) throws Exception {
    String key = RoutingKeys.of("key", Map.of("key", e.value(0)));
    harness.processElement(new Routed(key, e, true, 5), e.timestamp());
  }

  /** Keyed state entries of every key and every state (queue, NFA states, shared buffers). */
  private int stateEntries() {
    AbstractStreamOperator<?> operator = (AbstractStreamOperator<?>) harness.getTwoInputOperator();
    return ((HeapKeyedStateBackend<?>) operator.getKeyedStateBackend()).numKeyValueStateEntries();
  }

  private void command(RuleCommand command) throws Exception {
    harness.processBroadcastElement(command, 0);
  }

  private List<String> alerts() {
    return harness.extractOutputValues().stream()
        .map(
            a ->
                a.ruleId()
                    + " v"
                    + a.ruleVersion()
                    + " "
                    + a.kind()
                    + " "
                    + a.title()
                    + " "
                    + stages(a))
        .toList();
  }

  private static String stages(Alert a) {
    StringBuilder out = new StringBuilder();
    a.events()
        .forEach(
            (stage, events) ->
                events.forEach(e -> out.append(stage).append('@').append(e.get("ts")).append(' ')));
    return out.toString().trim();
  }

  private List<RuleStatus> statuses() {
    return harness.getSideOutput(DynamicMatcher.STATUS).stream()
        .map(StreamRecord::getValue)
        .toList();
  }

  @Test
  void aNewRuleSeesEventsAtOrAfterItsActivation() throws Exception {
    command(new RuleCommand.UpsertRule("r", 1, "a-then-b-within-10", 100, false));
    send(event("s", "k", "A", 0, 95));
    send(event("s", "k", "A", 1, 100));
    send(event("s", "k", "B", 2, 104));
    harness.watermark(200);
    assertThat(alerts()).containsExactly("r v1 MATCH a-then-b-within-10 a@100 b@104");
  }

  @Test
  void everyCommandIsAcknowledgedWithSubtaskAndState() throws Exception {
    command(HandBuiltRules.upsert("r", 1, "a-then-b-within-10"));
    command(HandBuiltRules.upsert("bad", 1, "no-such-pattern"));
    command(new RuleCommand.DisableRule("r", 2));
    assertThat(statuses())
        .extracting(
            s ->
                s.ruleId()
                    + " "
                    + s.version()
                    + " "
                    + s.state()
                    + " "
                    + s.subtask()
                    + "/"
                    + s.parallelism())
        .containsExactly("r 1 ACTIVE 0/1", "bad 1 REJECTED 0/1", "r 2 DISABLED 0/1");
    assertThat(statuses().get(1).message()).contains("unknown pattern 'no-such-pattern'");
  }

  @Test
  void aMetadataOnlyUpdateKeepsPartialMatches() throws Exception {
    command(HandBuiltRules.upsert("r", 1, "a-then-b-within-10|first title"));
    send(event("s", "k", "A", 0, 10));
    harness.watermark(10);
    command(HandBuiltRules.upsert("r", 2, "a-then-b-within-10|second title"));
    send(event("s", "k", "B", 1, 12));
    harness.watermark(20);
    assertThat(alerts()).containsExactly("r v2 MATCH second title a@10 b@12");
    assertThat(statuses().get(1).message()).contains("partial matches kept");
  }

  @Test
  void aPatternChangeDropsThePartialMatchesOfThePreviousVersion() throws Exception {
    command(HandBuiltRules.upsert("r", 1, "a-then-b-within-10"));
    send(event("s", "k", "A", 0, 10));
    harness.watermark(10);
    command(HandBuiltRules.upsert("r", 2, "a-then-any-b-within-20"));
    send(event("s", "k", "B", 1, 12));
    harness.watermark(20);
    assertThat(alerts()).isEmpty();
    send(event("s", "k", "A", 2, 21));
    send(event("s", "k", "B", 3, 22));
    harness.watermark(30);
    assertThat(alerts()).containsExactly("r v2 MATCH a-then-any-b-within-20 a@21 b@22");
    assertThat(statuses().get(1).message()).contains("partial matches of version 1 dropped");
  }

  @Test
  void onRequestThePartialMatchesOfThePreviousVersionFinishUnderThatVersion() throws Exception {
    command(HandBuiltRules.upsert("r", 1, "a-then-b-within-10"));
    send(event("s", "k", "A", 0, 10));
    harness.watermark(10);
    command(new RuleCommand.UpsertRule("r", 2, "a-then-any-b-within-20", Long.MIN_VALUE, true));
    assertThat(statuses().get(1).message()).contains("finish under version 1");
    // A@13 starts a match of version 2 only; B@12 completes version 1's partial match.
    send(event("s", "k", "B", 1, 12));
    send(event("s", "k", "A", 2, 13));
    send(event("s", "k", "B", 3, 14));
    harness.watermark(30);
    assertThat(alerts())
        .containsExactlyInAnyOrder(
            "r v1 MATCH a-then-b-within-10 a@10 b@12",
            "r v2 MATCH a-then-any-b-within-20 a@13 b@14");
    // The switch was at watermark 10 and version 1's window is 10: the drain is over at 20, and
    // the next command releases it. Once version 2's "any" partial match times out too, only the
    // key's last-seen time is left.
    harness.watermark(40);
    command(HandBuiltRules.upsert("other", 1, "a-next-b"));
    assertThat(stateEntries()).isEqualTo(1);
  }

  @Test
  void aFinishingPreviousVersionSurvivesASnapshotAndRestore() throws Exception {
    command(HandBuiltRules.upsert("r", 1, "a-then-b-within-10"));
    send(event("s", "k", "A", 0, 10));
    harness.watermark(10);
    command(new RuleCommand.UpsertRule("r", 2, "a-next-b", Long.MIN_VALUE, true));
    OperatorSubtaskState snapshot = harness.snapshot(1, 1);
    harness.close();

    harness = harness(new MatcherSettings(3, Duration.ofMillis(100)), snapshot);
    send(event("s", "k", "C", 1, 11));
    send(event("s", "k", "B", 2, 12));
    harness.watermark(30);
    // Version 1 (relaxed contiguity) finishes A@10 … B@12; version 2 (strict) starts nothing.
    assertThat(alerts()).containsExactly("r v1 MATCH a-then-b-within-10 a@10 b@12");
  }

  @Test
  void disableReleasesTheRuleStateOnEveryKeyAndStopsMatching() throws Exception {
    command(HandBuiltRules.upsert("r", 1, "a-then-b-within-10"));
    send(event("s", "k1", "A", 0, 10));
    send(event("s", "k2", "A", 1, 10));
    harness.watermark(10);
    assertThat(stateEntries()).isPositive();
    command(new RuleCommand.DisableRule("r", 2));
    // Only the keys' last-seen times remain (key-level, for the idle TTL).
    assertThat(stateEntries()).isEqualTo(2);
    send(event("s", "k1", "B", 2, 12));
    send(event("s", "k1", "A", 3, 13));
    send(event("s", "k1", "B", 4, 14));
    harness.watermark(20);
    assertThat(alerts()).isEmpty();
    // Enabling again starts from scratch.
    command(HandBuiltRules.upsert("r", 3, "a-then-b-within-10"));
    send(event("s", "k1", "A", 5, 21));
    send(event("s", "k1", "B", 6, 22));
    harness.watermark(30);
    assertThat(alerts()).containsExactly("r v3 MATCH a-then-b-within-10 a@21 b@22");
  }

  @Test
  void deleteReleasesTheRuleState() throws Exception {
    command(HandBuiltRules.upsert("r", 1, "a-next-b"));
    send(event("s", "k1", "A", 0, 10));
    harness.watermark(10);
    assertThat(stateEntries()).isPositive();
    command(new RuleCommand.DeleteRule("r"));
    assertThat(stateEntries()).isEqualTo(1);
    assertThat(statuses()).last().extracting(RuleStatus::state).isEqualTo(RuleStatus.State.DELETED);
  }

  @Test
  void aRejectedVersionLeavesThePreviousOneRunning() throws Exception {
    command(HandBuiltRules.upsert("r", 1, "a-then-b-within-10"));
    command(HandBuiltRules.upsert("r", 2, "broken"));
    send(event("s", "k", "A", 0, 10));
    send(event("s", "k", "B", 1, 11));
    harness.watermark(20);
    assertThat(alerts()).containsExactly("r v1 MATCH a-then-b-within-10 a@10 b@11");
  }

  @Test
  void rulesAndPartialMatchesSurviveASnapshotAndRestore() throws Exception {
    command(HandBuiltRules.upsert("r", 1, "a-then-b-within-10"));
    send(event("s", "k", "A", 0, 10));
    send(event("s", "k", "A", 1, 30));
    harness.watermark(10);
    OperatorSubtaskState snapshot = harness.snapshot(1, 1);
    harness.close();

    harness = harness(new MatcherSettings(3, Duration.ofMillis(100)), snapshot);
    send(event("s", "k", "B", 2, 12));
    harness.watermark(40);
    // A@10 was a partial match in the snapshot; A@30 was still queued (above the watermark).
    assertThat(alerts()).containsExactly("r v1 MATCH a-then-b-within-10 a@10 b@12");
  }

  @Test
  void theCapDropsTheOldestPartialMatches() throws Exception {
    harness.close();
    harness = harness(new MatcherSettings(2, Duration.ZERO), null);
    command(HandBuiltRules.upsert("r", 1, "a-then-any-b-within-20"));
    send(event("s", "k", "A", 0, 1));
    send(event("s", "k", "A", 1, 2));
    send(event("s", "k", "A", 2, 3));
    harness.watermark(5);
    send(event("s", "k", "B", 3, 6));
    harness.watermark(10);
    assertThat(alerts())
        .containsExactlyInAnyOrder(
            "r v1 MATCH a-then-any-b-within-20 a@2 b@6",
            "r v1 MATCH a-then-any-b-within-20 a@3 b@6");
  }

  @Test
  void anIdleKeyLosesItsStateAfterTheTtl() throws Exception {
    command(HandBuiltRules.upsert("r", 1, "a-next-b"));
    send(event("s", "k", "A", 0, 10));
    harness.watermark(50);
    assertThat(stateEntries()).isPositive();
    harness.watermark(200);
    assertThat(stateEntries()).isZero();
  }

  @Test
  void eventsAtOrBelowTheWatermarkAreLate() throws Exception {
    command(HandBuiltRules.upsert("r", 1, "a-then-b-within-10"));
    harness.watermark(100);
    send(event("s", "k", "A", 0, 100));
    send(event("s", "k", "A", 1, 101));
    assertThat(harness.getSideOutput(DynamicMatcher.LATE))
        .extracting(StreamRecord::getValue)
        .singleElement()
        .satisfies(
            json ->
                assertThat(json)
                    .contains("\"stream\":\"s\"")
                    .contains("\"value\":0")
                    .contains("\"watermark\":\"1970-01-01T00:00:00.100Z\""));
  }
}
