package io.vigil.runtime.matcher;

import static io.vigil.runtime.matcher.HandBuiltRules.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.event.Event;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import io.vigil.runtime.engine.VigilEngine;
import io.vigil.runtime.routing.Routed;
import io.vigil.runtime.routing.RoutingKeys;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The rule lifecycle on the real matcher operator, driven by Flink's operator test harness (exact
 * control over the order of rules, events, watermarks and snapshots).
 */
class MatcherLifecycleTest {

  private static final List<RuleCommand> STREAMS =
      List.of(HandBuiltRules.declare("s"), HandBuiltRules.declare("t"));

  private KeyedTwoInputStreamOperatorTestHarness<String, Routed, RuleCommand, Alert> harness;

  @BeforeEach
  void start() throws Exception {
    harness = harness(new MatcherSettings(3, Duration.ofMillis(100)), null);
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  private static final MatcherSettings SETTINGS = new MatcherSettings(3, Duration.ofMillis(100));
  private static final int MAX_PARALLELISM = 128;

  static KeyedTwoInputStreamOperatorTestHarness<String, Routed, RuleCommand, Alert> harness(
      MatcherSettings settings, OperatorSubtaskState restoreFrom) throws Exception {
    return harness(settings, restoreFrom, 1, 0);
  }

  static KeyedTwoInputStreamOperatorTestHarness<String, Routed, RuleCommand, Alert> harness(
      MatcherSettings settings, OperatorSubtaskState restoreFrom, int parallelism, int subtask)
      throws Exception {
    DynamicMatcher matcher =
        new DynamicMatcher(
            new HandBuiltRules.Builder(), STREAMS, VigilEngine.eventSerializer(), settings);
    KeyedTwoInputStreamOperatorTestHarness<String, Routed, RuleCommand, Alert> h =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            matcher, Routed::key, null, Types.STRING, MAX_PARALLELISM, parallelism, subtask);
    if (restoreFrom != null) {
      h.initializeState(restoreFrom);
    }
    h.open();
    // As in the job: the control stream never holds event time back.
    h.processWatermarkStatus2(WatermarkStatus.IDLE);
    return h;
  }

  private void send(Event e) throws Exception {
    String key = RoutingKeys.of("key", Map.of("key", e.value(0)));
    harness.processElement1(new Routed(key, e, true, 5), e.timestamp());
  }

  /** Keyed state entries of every key and every state (NFA states, shared buffers, bookkeeping). */
  private int stateEntries() {
    return harness.numKeyedStateEntries();
  }

  private void watermark(long time) throws Exception {
    harness.processWatermark1(new Watermark(time));
  }

  private void command(RuleCommand command) throws Exception {
    harness.processElement2(command, 0);
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
    watermark(200);
    assertThat(alerts()).containsExactly("r v1 MATCH a-then-b-within-10 a@100 b@104");
  }

  @Test
  void aKeyKeepsAtMostItsCapOfEventsWaitingForTheWatermarkAndOtherKeysAreUnaffected()
      throws Exception {
    harness.close();
    harness =
        harness(
            new MatcherSettings(3, Duration.ZERO, 2, io.vigil.runtime.alert.AlertLimits.defaults()),
            null);
    command(HandBuiltRules.upsert("r", 1, "a-then-b-within-10"));
    send(event("s", "k", "A", 0, 100));
    send(event("s", "k", "A", 1, 101));
    // The third event of k while the watermark stands still: dropped.
    send(event("s", "k", "B", 2, 102));
    send(event("s", "m", "A", 3, 100));
    send(event("s", "m", "B", 4, 102));
    watermark(200);
    assertThat(alerts()).containsExactly("r v1 MATCH a-then-b-within-10 a@100 b@102");
    // Without the cap, k would match too (the same stages as m's match).
    // Once the watermark has taken k's events, k may queue again.
    send(event("s", "k", "A", 6, 300));
    send(event("s", "k", "B", 7, 305));
    watermark(400);
    assertThat(alerts())
        .containsExactly(
            "r v1 MATCH a-then-b-within-10 a@100 b@102",
            "r v1 MATCH a-then-b-within-10 a@300 b@305");
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
    watermark(10);
    command(HandBuiltRules.upsert("r", 2, "a-then-b-within-10|second title"));
    send(event("s", "k", "B", 1, 12));
    watermark(20);
    assertThat(alerts()).containsExactly("r v2 MATCH second title a@10 b@12");
    assertThat(statuses().get(1).message()).contains("partial matches kept");
  }

  @Test
  void aPatternChangeDropsThePartialMatchesOfThePreviousVersion() throws Exception {
    command(HandBuiltRules.upsert("r", 1, "a-then-b-within-10"));
    send(event("s", "k", "A", 0, 10));
    watermark(10);
    command(HandBuiltRules.upsert("r", 2, "a-then-any-b-within-20"));
    send(event("s", "k", "B", 1, 12));
    watermark(20);
    assertThat(alerts()).isEmpty();
    send(event("s", "k", "A", 2, 21));
    send(event("s", "k", "B", 3, 22));
    watermark(30);
    assertThat(alerts()).containsExactly("r v2 MATCH a-then-any-b-within-20 a@21 b@22");
    assertThat(statuses().get(1).message()).contains("partial matches of version 1 dropped");
  }

  @Test
  void onRequestThePartialMatchesOfThePreviousVersionFinishUnderThatVersion() throws Exception {
    command(HandBuiltRules.upsert("r", 1, "a-then-b-within-10"));
    send(event("s", "k", "A", 0, 10));
    watermark(10);
    command(new RuleCommand.UpsertRule("r", 2, "a-then-any-b-within-20", Long.MIN_VALUE, true));
    assertThat(statuses().get(1).message()).contains("finish under version 1");
    // A@13 starts a match of version 2 only; B@12 completes version 1's partial match.
    send(event("s", "k", "B", 1, 12));
    send(event("s", "k", "A", 2, 13));
    send(event("s", "k", "B", 3, 14));
    watermark(30);
    assertThat(alerts())
        .containsExactlyInAnyOrder(
            "r v1 MATCH a-then-b-within-10 a@10 b@12",
            "r v2 MATCH a-then-any-b-within-20 a@13 b@14");
    // The switch was at watermark 10 and version 1's window is 10: the drain is over at 20, and
    // the next command releases it. Once version 2's "any" partial match times out too, nothing of
    // the key is left.
    watermark(40);
    command(HandBuiltRules.upsert("other", 1, "a-next-b"));
    assertThat(stateEntries()).isZero();
  }

  @Test
  void aFinishingPreviousVersionSurvivesASnapshotAndRestore() throws Exception {
    command(HandBuiltRules.upsert("r", 1, "a-then-b-within-10"));
    send(event("s", "k", "A", 0, 10));
    watermark(10);
    command(new RuleCommand.UpsertRule("r", 2, "a-next-b", Long.MIN_VALUE, true));
    OperatorSubtaskState snapshot = harness.snapshot(1, 1);
    harness.close();

    harness = harness(new MatcherSettings(3, Duration.ofMillis(100)), snapshot);
    send(event("s", "k", "C", 1, 11));
    send(event("s", "k", "B", 2, 12));
    watermark(30);
    // Version 1 (relaxed contiguity) finishes A@10 … B@12; version 2 (strict) starts nothing.
    assertThat(alerts()).containsExactly("r v1 MATCH a-then-b-within-10 a@10 b@12");
  }

  @Test
  void disableReleasesTheRuleStateOnEveryKeyAndStopsMatching() throws Exception {
    command(HandBuiltRules.upsert("r", 1, "a-then-b-within-10"));
    send(event("s", "k1", "A", 0, 10));
    send(event("s", "k2", "A", 1, 10));
    watermark(10);
    assertThat(stateEntries()).isPositive();
    command(new RuleCommand.DisableRule("r", 2));
    // Nothing of the keys remains: their times served the rule's partial matches only.
    assertThat(stateEntries()).isZero();
    send(event("s", "k1", "B", 2, 12));
    send(event("s", "k1", "A", 3, 13));
    send(event("s", "k1", "B", 4, 14));
    watermark(20);
    assertThat(alerts()).isEmpty();
    // Enabling again starts from scratch.
    command(HandBuiltRules.upsert("r", 3, "a-then-b-within-10"));
    send(event("s", "k1", "A", 5, 21));
    send(event("s", "k1", "B", 6, 22));
    watermark(30);
    assertThat(alerts()).containsExactly("r v3 MATCH a-then-b-within-10 a@21 b@22");
  }

  @Test
  void deleteReleasesTheRuleState() throws Exception {
    command(HandBuiltRules.upsert("r", 1, "a-next-b"));
    send(event("s", "k1", "A", 0, 10));
    watermark(10);
    assertThat(stateEntries()).isPositive();
    command(new RuleCommand.DeleteRule("r"));
    assertThat(stateEntries()).isZero();
    assertThat(statuses()).last().extracting(RuleStatus::state).isEqualTo(RuleStatus.State.DELETED);
  }

  @Test
  void aRuleWhosePartialMatchesAllEndLeavesNothingOfItsBufferOnTheKey() throws Exception {
    command(HandBuiltRules.upsert("r", 1, "a-next-b"));
    // The counters of events per timestamp are trimmed lazily while a rule stays on a key; when
    // its last partial match ends, nothing of it may stay behind.
    send(event("s", "k1", "A", 0, 10));
    send(event("s", "k1", "A", 1, 11));
    watermark(11);
    assertThat(stateEntries()).isGreaterThan(1);
    send(event("s", "k1", "C", 2, 12));
    watermark(12);
    // Nothing is left: a key without partial matches keeps no state.
    assertThat(stateEntries()).isZero();
  }

  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void theEndOfInputDrainsAKeyWhosePartialMatchesNeverExpireOnce() throws Exception {
    command(HandBuiltRules.upsert("open", 1, "a-next-b"));
    send(event("s", "k", "A", 0, 10));
    watermark(20);
    // Its one timer is the idle TTL's; at the end of input a key is never idle, and the timer
    // must not be armed again at a time the watermark has passed.
    watermark(Long.MAX_VALUE);
    assertThat(harness.numEventTimeTimers()).isZero();
    assertThat(stateEntries()).isPositive();
  }

  @Test
  void aKeyHoldsOneTimerWhileItHasPartialMatchesAndNoneWithout() throws Exception {
    command(HandBuiltRules.upsert("r", 1, "a-then-b-within-10"));
    // Events no rule starts on leave a key without state or timer, however many keys there are.
    for (int i = 0; i < 5; i++) {
      send(event("s", "quiet-" + i, "C", i, 10 + i));
    }
    watermark(20);
    assertThat(stateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
    // A partial match: one timer for its window (due at 31) and the idle TTL (due at 121).
    send(event("s", "k", "A", 10, 21));
    send(event("s", "k", "C", 11, 22));
    send(event("s", "k", "C", 12, 23));
    watermark(25);
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    // The window's timer fires; the match times out, and with it the key's state goes.
    watermark(40);
    assertThat(stateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
    // A rule without a window: the key's one timer is its idle TTL, re-armed as events come.
    command(new RuleCommand.DeleteRule("r"));
    command(HandBuiltRules.upsert("open", 1, "a-next-b"));
    send(event("s", "k", "A", 13, 50));
    watermark(60);
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    send(event("s", "k", "A", 14, 100));
    watermark(101);
    // Still the one timer at 150: the later event does not add one at 200.
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    watermark(155);
    // The timer at 150 found the key seen at 100: armed again for 200, no more.
    assertThat(stateEntries()).isPositive();
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    watermark(200);
    assertThat(stateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void aRejectedVersionLeavesThePreviousOneRunning() throws Exception {
    command(HandBuiltRules.upsert("r", 1, "a-then-b-within-10"));
    command(HandBuiltRules.upsert("r", 2, "broken"));
    send(event("s", "k", "A", 0, 10));
    send(event("s", "k", "B", 1, 11));
    watermark(20);
    assertThat(alerts()).containsExactly("r v1 MATCH a-then-b-within-10 a@10 b@11");
  }

  @Test
  void rulesAndPartialMatchesSurviveASnapshotAndRestore() throws Exception {
    command(HandBuiltRules.upsert("r", 1, "a-then-b-within-10"));
    send(event("s", "k", "A", 0, 10));
    send(event("s", "k", "A", 1, 30));
    watermark(10);
    OperatorSubtaskState snapshot = harness.snapshot(1, 1);
    harness.close();

    harness = harness(new MatcherSettings(3, Duration.ofMillis(100)), snapshot);
    send(event("s", "k", "B", 2, 12));
    send(event("s", "k", "B", 3, 32));
    watermark(40);
    // A@10 was a partial match in the snapshot; A@30 was still queued (above the watermark).
    assertThat(alerts())
        .containsExactly(
            "r v1 MATCH a-then-b-within-10 a@10 b@12", "r v1 MATCH a-then-b-within-10 a@30 b@32");
  }

  @Test
  void aFamilysWaitingFinalStagesSurviveASnapshotAndRestore() throws Exception {
    command(HandBuiltRules.upsert("r1", 1, HandBuiltRules.FAMILY + "0"));
    command(HandBuiltRules.upsert("r2", 1, HandBuiltRules.FAMILY + "5"));
    send(event("s", "k", "A", 0, 10));
    watermark(10);
    OperatorSubtaskState snapshot = harness.snapshot(1, 1);
    harness.close();

    harness = harness(SETTINGS, snapshot);
    send(event("s", "k", "B", 3, 12));
    send(event("s", "k", "B", 7, 13));
    watermark(40);
    // r1 took the first B above 0 and is done (then); r2 waited for one above 5.
    assertThat(alerts())
        .containsExactlyInAnyOrder(
            "r1 v1 MATCH fam-b-above-0 a@10 b@12", "r2 v1 MATCH fam-b-above-5 a@10 b@13");
  }

  @Test
  void whenAFamilysMembersChangeTheOthersKeepWaitingAndANewcomerTakesOnlyNewMatches()
      throws Exception {
    command(HandBuiltRules.upsert("r1", 1, HandBuiltRules.FAMILY + "0"));
    command(HandBuiltRules.upsert("r2", 1, HandBuiltRules.FAMILY + "5"));
    command(HandBuiltRules.upsert("r3", 1, HandBuiltRules.FAMILY + "9"));
    send(event("s", "k", "A", 0, 10));
    watermark(10);
    // r1 leaves and r4 joins: the waiting match of a@10 is r2's and r3's, now in other places.
    command(new RuleCommand.DeleteRule("r1"));
    command(HandBuiltRules.upsert("r4", 1, HandBuiltRules.FAMILY + "2"));
    send(event("s", "k", "A", 1, 12));
    send(event("s", "k", "B", 7, 14));
    send(event("s", "k", "B", 10, 15));
    watermark(40);
    assertThat(alerts())
        .containsExactlyInAnyOrder(
            "r2 v1 MATCH fam-b-above-5 a@10 b@14",
            "r3 v1 MATCH fam-b-above-9 a@10 b@15",
            "r2 v1 MATCH fam-b-above-5 a@12 b@14",
            "r3 v1 MATCH fam-b-above-9 a@12 b@15",
            "r4 v1 MATCH fam-b-above-2 a@12 b@14");
  }

  @Test
  void aNewcomerWithALongerWindowWidensTheFamilysWithoutWideningTheOthers() throws Exception {
    command(HandBuiltRules.upsert("short", 1, HandBuiltRules.TWICE_FAMILY + "0/10"));
    send(event("s", "k", "A", 0, 10));
    watermark(10);
    // `long` waits 30 ms: the family's prefix now runs with its window.
    command(HandBuiltRules.upsert("long", 1, HandBuiltRules.TWICE_FAMILY + "0/30"));
    send(event("s", "k", "A", 1, 12));
    send(event("s", "k", "C", 2, 24));
    send(event("s", "k", "A", 3, 26));
    send(event("s", "k", "B", 5, 28));
    watermark(60);
    // The prefix a@12 a@26 is older than `short`'s 10 ms; `long` began with a@12.
    assertThat(alerts()).containsExactly("long v1 MATCH twice-b-above-0/30 a@12 a@26 b@28");
  }

  @Test
  void aConditionFamilysPartialMatchesSurviveASnapshotAndRestore() throws Exception {
    command(HandBuiltRules.upsert("r1", 1, HandBuiltRules.CONDITION_FAMILY + "0"));
    command(HandBuiltRules.upsert("r2", 1, HandBuiltRules.CONDITION_FAMILY + "5"));
    send(event("s", "k", "A", 7, 10));
    watermark(10);
    OperatorSubtaskState snapshot = harness.snapshot(1, 1);
    harness.close();

    harness = harness(SETTINGS, snapshot);
    send(event("s", "k", "A", 6, 12));
    send(event("s", "k", "A", 2, 13));
    watermark(40);
    // Each member gets the runs of two whose values pass its own bound.
    assertThat(alerts())
        .containsExactlyInAnyOrder(
            "r1 v1 MATCH cond-a-above-0 a@10 a@12",
            "r1 v1 MATCH cond-a-above-0 a@12 a@13",
            "r2 v1 MATCH cond-a-above-5 a@10 a@12");
  }

  @Test
  void whenAConditionFamilysMembersChangeTheOthersKeepTheirPartialMatchesAndANewcomerTakesOnlyNew()
      throws Exception {
    command(HandBuiltRules.upsert("r1", 1, HandBuiltRules.CONDITION_FAMILY + "0"));
    command(HandBuiltRules.upsert("r2", 1, HandBuiltRules.CONDITION_FAMILY + "5"));
    send(event("s", "k", "A", 7, 10));
    watermark(10);
    // r2 leaves and r3 joins (a bound of 1): the shared NFA is rebuilt over the same partial
    // match of a@10, which stays r1's; r3 takes only runs that began after it joined.
    command(new RuleCommand.DeleteRule("r2"));
    command(HandBuiltRules.upsert("r3", 1, HandBuiltRules.CONDITION_FAMILY + "1"));
    send(event("s", "k", "A", 8, 12));
    send(event("s", "k", "A", 3, 13));
    watermark(40);
    assertThat(alerts())
        .containsExactlyInAnyOrder(
            "r1 v1 MATCH cond-a-above-0 a@10 a@12",
            "r1 v1 MATCH cond-a-above-0 a@12 a@13",
            "r3 v1 MATCH cond-a-above-1 a@12 a@13");
  }

  @Test
  void aConditionFamilysNewcomerTakesWhatNoEarlierMemberTook() throws Exception {
    command(HandBuiltRules.upsert("r1", 1, HandBuiltRules.CONDITION_FAMILY + "5"));
    command(HandBuiltRules.upsert("r2", 1, HandBuiltRules.CONDITION_FAMILY + "9"));
    send(event("s", "k", "A", 7, 10));
    watermark(10);
    // r3 (a bound of 1) joins: the shared stage now takes values no earlier member took.
    command(HandBuiltRules.upsert("r3", 1, HandBuiltRules.CONDITION_FAMILY + "1"));
    send(event("s", "k", "A", 3, 12));
    send(event("s", "k", "A", 2, 13));
    watermark(40);
    assertThat(alerts()).containsExactly("r3 v1 MATCH cond-a-above-1 a@12 a@13");
  }

  @Test
  void aDrainingConditionFamilyMemberFinishesOnlyWhatItHadStarted() throws Exception {
    command(HandBuiltRules.upsert("r", 1, HandBuiltRules.CONDITION_FAMILY + "0"));
    send(event("s", "k", "A", 7, 10));
    watermark(10);
    command(
        new RuleCommand.UpsertRule(
            "r", 2, HandBuiltRules.CONDITION_FAMILY + "5", Long.MIN_VALUE, true));
    send(event("s", "k", "A", 6, 12));
    send(event("s", "k", "A", 2, 13));
    send(event("s", "k", "A", 9, 14));
    send(event("s", "k", "A", 8, 15));
    watermark(40);
    // Version 1 finishes the run begun at a@10 only (not a@12 a@13, though both pass its bound);
    // version 2 starts after the switch and wants values above 5.
    assertThat(alerts())
        .containsExactlyInAnyOrder(
            "r v1 MATCH cond-a-above-0 a@10 a@12", "r v2 MATCH cond-a-above-5 a@14 a@15");
  }

  @Test
  void aDrainingFamilyMemberFinishesOnlyWhatItHadStarted() throws Exception {
    command(HandBuiltRules.upsert("r", 1, HandBuiltRules.FAMILY + "0"));
    send(event("s", "k", "A", 0, 10));
    watermark(10);
    command(new RuleCommand.UpsertRule("r", 2, HandBuiltRules.FAMILY + "5", Long.MIN_VALUE, true));
    send(event("s", "k", "A", 1, 12));
    send(event("s", "k", "B", 3, 14));
    send(event("s", "k", "B", 7, 15));
    watermark(40);
    // Version 1 finishes a@10 only; version 2 starts at a@12 and wants a B above 5.
    assertThat(alerts())
        .containsExactlyInAnyOrder(
            "r v1 MATCH fam-b-above-0 a@10 b@14", "r v2 MATCH fam-b-above-5 a@12 b@15");
  }

  @Test
  void queuedEventsFollowTheirKeysToANewParallelism() throws Exception {
    harness.close();
    harness = harness(SETTINGS, null, 1, 0);
    command(HandBuiltRules.upsert("r", 1, "a-then-b-within-10"));
    List<String> keys = List.of("k1", "k2", "k3", "k4", "k5", "k6");
    for (int i = 0; i < keys.size(); i++) {
      send(event("s", keys.get(i), "A", i, 20));
    }
    watermark(10);
    OperatorSubtaskState snapshot = harness.snapshot(1, 1);
    harness.close();

    List<String> seen = new java.util.ArrayList<>();
    for (int subtask = 0; subtask < 2; subtask++) {
      harness =
          harness(
              SETTINGS,
              AbstractStreamOperatorTestHarness.repartitionOperatorState(
                  snapshot, MAX_PARALLELISM, 1, 2, subtask),
              2,
              subtask);
      for (int i = 0; i < keys.size(); i++) {
        if (owns(keys.get(i), subtask)) {
          send(event("s", keys.get(i), "B", 10 + i, 21));
        }
      }
      watermark(40);
      seen.addAll(alerts());
      harness.close();
    }
    harness = harness(SETTINGS, null);
    // Each queued A reached the one subtask that owns its key, once.
    assertThat(seen).hasSize(keys.size()).allMatch(a -> a.endsWith("a@20 b@21"));
  }

  private static boolean owns(String key, int subtask) {
    String routingKey = RoutingKeys.of("key", Map.of("key", key));
    return org.apache.flink.runtime.state.KeyGroupRangeAssignment.assignKeyToParallelOperator(
            routingKey, MAX_PARALLELISM, 2)
        == subtask;
  }

  @Test
  void eachWindowTimesOutWhenTheWatermarkPassesItWithoutAnotherEvent() throws Exception {
    command(HandBuiltRules.upsert("r", 1, "a-then-b-timeout-10"));
    send(event("s", "k1", "A", 0, 10));
    send(event("s", "k1", "A", 1, 14));
    send(event("s", "k2", "A", 2, 12));
    watermark(15);
    assertThat(alerts()).isEmpty();
    // One window timer per key, at its earliest expiry; each firing arms the next one.
    watermark(20);
    assertThat(alerts()).containsExactly("r v1 TIMEOUT a-then-b-timeout-10 a@10");
    watermark(22);
    assertThat(alerts())
        .containsExactly(
            "r v1 TIMEOUT a-then-b-timeout-10 a@10", "r v1 TIMEOUT a-then-b-timeout-10 a@12");
    watermark(24);
    assertThat(alerts()).hasSize(3).last().isEqualTo("r v1 TIMEOUT a-then-b-timeout-10 a@14");
  }

  @Test
  void aRuleThatCannotTimeOutYetKeepsItsWindowWhileAnotherRuleOfTheKeyTimesOut() throws Exception {
    command(HandBuiltRules.upsert("short", 1, "a-then-b-timeout-10"));
    command(HandBuiltRules.upsert("long", 1, "a-then-b-timeout-30"));
    send(event("s", "k", "A", 0, 10));
    send(event("s", "k", "A", 1, 15));
    watermark(16);
    // The key's window timer at 20 times out the short rule's first match; the long rule's
    // matches cannot time out before 40, and the timer armed next is still theirs.
    watermark(20);
    assertThat(alerts()).containsExactly("short v1 TIMEOUT a-then-b-timeout-10 a@10");
    watermark(25);
    assertThat(alerts()).hasSize(2).last().isEqualTo("short v1 TIMEOUT a-then-b-timeout-10 a@15");
    watermark(40);
    assertThat(alerts()).hasSize(3).last().isEqualTo("long v1 TIMEOUT a-then-b-timeout-30 a@10");
    watermark(45);
    assertThat(alerts()).hasSize(4).last().isEqualTo("long v1 TIMEOUT a-then-b-timeout-30 a@15");
  }

  @Test
  void theCapDropsTheOldestPartialMatches() throws Exception {
    harness.close();
    harness = harness(new MatcherSettings(2, Duration.ZERO), null);
    command(HandBuiltRules.upsert("r", 1, "a-then-any-b-within-20"));
    send(event("s", "k", "A", 0, 1));
    send(event("s", "k", "A", 1, 2));
    send(event("s", "k", "A", 2, 3));
    watermark(5);
    send(event("s", "k", "B", 3, 6));
    watermark(10);
    assertThat(alerts())
        .containsExactlyInAnyOrder(
            "r v1 MATCH a-then-any-b-within-20 a@2 b@6",
            "r v1 MATCH a-then-any-b-within-20 a@3 b@6");
  }

  @Test
  void aCapOfZeroKeepsEveryPartialMatch() throws Exception {
    harness.close();
    harness = harness(new MatcherSettings(0, Duration.ZERO), null);
    command(HandBuiltRules.upsert("r", 1, "a-then-any-b-within-20"));
    send(event("s", "k", "A", 0, 1));
    send(event("s", "k", "A", 1, 2));
    send(event("s", "k", "A", 2, 3));
    watermark(5);
    send(event("s", "k", "B", 3, 6));
    watermark(10);
    assertThat(alerts())
        .containsExactlyInAnyOrder(
            "r v1 MATCH a-then-any-b-within-20 a@1 b@6",
            "r v1 MATCH a-then-any-b-within-20 a@2 b@6",
            "r v1 MATCH a-then-any-b-within-20 a@3 b@6");
  }

  @Test
  void anIdleKeyLosesItsStateAfterTheTtl() throws Exception {
    command(HandBuiltRules.upsert("r", 1, "a-next-b"));
    send(event("s", "k", "A", 0, 10));
    watermark(50);
    assertThat(stateEntries()).isPositive();
    watermark(200);
    assertThat(stateEntries()).isZero();
  }

  @Test
  void eventsAtOrBelowTheWatermarkAreLate() throws Exception {
    command(HandBuiltRules.upsert("r", 1, "a-then-b-within-10"));
    watermark(100);
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
