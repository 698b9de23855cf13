package io.vigil.runtime.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.rules.compiled.CompilingRuleBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rules that differ only in their final stage's condition, or only in the condition of a stage
 * whose condition Flink's NFA uses only to take events, are run by the matcher as one family; the
 * family's id depends on its spec and fingerprint only, and draining members take only the matches
 * their own NFA would still hold.
 */
class RuleBookFamiliesTest {

  static final String STREAM =
      """
      stream payments
        time ts
        lateness 5s
        fields
          card: string
          status: string
          amount: decimal
          ts: timestamp
      """;

  static String declines(String id, int threshold, String skip) {
    return """
        rule %s
          from payments
          partition by card
          pattern
            d: status == "DECLINED" {3}
            then ok: status == "APPROVED" and amount > %d
          within 10m
          skip %s
          alert "declines then {ok.amount}"
        """
        .formatted(id, threshold, skip);
  }

  static String twoLarge(String id, int first, int second, String link, String skip) {
    return """
        rule %s
          from payments
          partition by card
          pattern
            a: amount > %d
            %s b: amount > %d and status != a.status
          within 1h
          skip %s
          alert "{a.amount} then {b.amount}"
        """
        .formatted(id, first, link, second, skip);
  }

  static String large(String id, int threshold, String loop, String link) {
    return """
        rule %s
          from payments
          partition by card
          pattern
            big: amount > %d %s
            %s declined: status == "DECLINED"
            then not approved: status == "APPROVED"
          within 10m
          alert "{count(big)} large, then declined"
        """
        .formatted(id, threshold, loop, link);
  }

  static String burst(String id, int threshold, String loop, String link, int calm) {
    return """
        rule %s
          from payments
          partition by card
          pattern
            big: amount > %d %s
            %s calm: amount < %d
          within 10m
          skip past last event
          alert "{count(big)} large, then a small one"
        """
        .formatted(id, threshold, loop, link, calm);
  }

  private static RuleBook book() {
    RuleBook book = new RuleBook(new CompilingRuleBuilder());
    book.apply(new RuleCommand.DeclareStream("payments", 1, STREAM));
    return book;
  }

  private static RuleCommand.UpsertRule upsert(String id, long version, String source) {
    return new RuleCommand.UpsertRule(id, version, source, Long.MIN_VALUE, false);
  }

  @Test
  void rulesDifferingOnlyInTheFinalConditionRunAsOneFamilyAndOthersAlone() {
    RuleBook book = book();
    book.apply(upsert("d1", 1, declines("d1", 800, "none")));
    book.apply(upsert("d2", 1, declines("d2", 900, "none")));
    book.apply(upsert("d3", 1, declines("d3", 950, "none")));
    book.apply(upsert("skipping", 1, declines("skipping", 900, "past last event")));

    assertThat(book.families()).hasSize(1);
    RuleFamily family = (RuleFamily) book.families().get(0).rule();
    assertThat(family.members()).extracting(m -> m.rule().id()).containsExactly("d1", "d2", "d3");
    assertThat(book.readersOf("payments", "card"))
        .extracting(a -> a.rule().id())
        .containsExactly(family.id(), "skipping");
    assertThat(book.activeByStateId("d1/0")).isEmpty();
    assertThat(book.activeByStateId(family.id() + "/0")).isPresent();
    // Every member is still a running rule (metrics, routing, statuses).
    assertThat(book.active()).extracting(a -> a.rule().id()).contains("d1", "d2", "d3");
  }

  @Test
  void membersMayDifferInTheirWindowsAndTheFamilyRunsWithTheLongest() {
    RuleBook book = book();
    book.apply(upsert("d1", 1, declines("d1", 800, "none")));
    book.apply(upsert("d2", 1, declines("d2", 900, "none").replace("within 10m", "within 25m")));
    book.apply(upsert("b1", 1, burst("b1", 900, "{2,} consecutive", "next", 10)));
    book.apply(
        upsert(
            "b2",
            1,
            burst("b2", 950, "{2,} consecutive", "next", 10).replace("within 10m", "within 2m")));

    assertThat(book.families())
        .map(f -> ((RuleFamily) f.rule()).members().stream().map(m -> m.rule().id()).toList())
        .containsExactly(List.of("d1", "d2"), List.of("b1", "b2"));
    RuleFamily declines = (RuleFamily) book.families().get(0).rule();
    RuleFamily bursts = (RuleFamily) book.families().get(1).rule();
    assertThat(declines.pattern().getWindowSize()).contains(java.time.Duration.ofMinutes(25));
    assertThat(bursts.pattern().getWindowSize()).contains(java.time.Duration.ofMinutes(10));
    // A member takes a match whose last event is less than its own window after the first.
    assertThat(declines.windows().fits(0, 0, 599_999)).isTrue();
    assertThat(declines.windows().fits(0, 0, 600_000)).isFalse();
    assertThat(declines.windows().fits(1, 0, 600_000)).isTrue();
    assertThat(bursts.windows().fits(1, 0, 120_000)).isFalse();
  }

  @Test
  void membersWithANegationShareTheirWindow() {
    RuleBook book = book();
    book.apply(upsert("l1", 1, large("l1", 900, "{2} consecutive", "next")));
    book.apply(upsert("l2", 1, large("l2", 950, "{2} consecutive", "next")));
    book.apply(
        upsert(
            "l3",
            1,
            large("l3", 990, "{2} consecutive", "next").replace("within 10m", "within 20m")));

    assertThat(book.families())
        .map(f -> ((RuleFamily) f.rule()).members().stream().map(m -> m.rule().id()).toList())
        .containsExactly(List.of("l1", "l2"), List.of("l3"));
  }

  @Test
  void rulesOfOneStageThenAnotherMayDifferInBothConditionsAndSkipPastTheirLastEvent() {
    RuleBook book = book();
    book.apply(upsert("t1", 1, twoLarge("t1", 1000, 1100, "then", "past last event")));
    book.apply(upsert("t2", 1, twoLarge("t2", 1050, 1150, "then", "past last event")));
    book.apply(upsert("n1", 1, twoLarge("n1", 1000, 1100, "next", "past last event")));
    book.apply(upsert("n2", 1, twoLarge("n2", 900, 1000, "next", "past last event")));
    book.apply(upsert("s1", 1, twoLarge("s1", 1000, 1100, "then", "none")));
    book.apply(upsert("s2", 1, twoLarge("s2", 500, 1100, "then", "none")));
    // `then any` completes a waiting stage more than once: which completion a skip strategy keeps
    // is Flink's queue's choice, so such rules run on their own.
    book.apply(
        upsert("repeated", 1, twoLarge("repeated", 1000, 1100, "then any", "past last event")));

    assertThat(book.families())
        .map(f -> ((RuleFamily) f.rule()).members().stream().map(m -> m.rule().id()).toList())
        .containsExactly(List.of("t1", "t2"), List.of("n1", "n2"), List.of("s1", "s2"));
    assertThat(book.readersOf("payments", "card"))
        .extracting(a -> a.rule().id())
        .contains("repeated");
  }

  @Test
  void aLongerPrefixSkippingPastItsLastEventRunsOnItsOwn() {
    RuleBook book = book();
    book.apply(upsert("d1", 1, declines("d1", 800, "past last event")));
    book.apply(upsert("d2", 1, declines("d2", 900, "past last event")));
    assertThat(book.families()).isEmpty();
  }

  @Test
  void theFamilyKeepsItsIdWhenMembersComeAndGo() {
    RuleBook book = book();
    book.apply(upsert("d1", 1, declines("d1", 800, "none")));
    String id = book.families().get(0).stateId();
    book.apply(upsert("d2", 1, declines("d2", 900, "none")));
    assertThat(book.families().get(0).stateId()).isEqualTo(id);
    book.apply(new RuleCommand.DeleteRule("d1"));
    assertThat(book.families())
        .singleElement()
        .satisfies(f -> assertThat(f.stateId()).isEqualTo(id));
    book.apply(new RuleCommand.DeleteRule("d2"));
    assertThat(book.families()).isEmpty();
  }

  @Test
  void aDrainingMemberTakesOnlyPrefixMatchesStartedByTheWatermarkOfItsSwitch() {
    RuleBook book = book();
    book.apply(upsert("d1", 1, declines("d1", 800, "none")));
    // Version 2 only changes the threshold: a new generation in the same family; version 1's
    // partial matches finish.
    book.apply(new RuleCommand.UpsertRule("d1", 2, declines("d1", 900, "none"), 5_000, true));
    long watermark = 4_000;
    book.drainUntil("d1/0", watermark + 600_000);

    List<RuleFamily.Member> members = ((RuleFamily) book.families().get(0).rule()).members();
    assertThat(members).hasSize(2);
    RuleFamily.Member current =
        members.stream().filter(m -> m.stateId().equals("d1/1")).findFirst().orElseThrow();
    RuleFamily.Member draining =
        members.stream().filter(m -> m.stateId().equals("d1/0")).findFirst().orElseThrow();
    assertThat(current.takes(5_000)).isTrue();
    assertThat(current.takes(4_999)).isFalse();
    assertThat(draining.takes(watermark)).isTrue();
    assertThat(draining.takes(watermark + 1)).isFalse();
  }

  @Test
  void rulesDifferingOnlyInALoopsConditionThatOnlyTakesEventsRunAsOneConditionFamily() {
    RuleBook book = book();
    book.apply(upsert("c1", 1, large("c1", 500, "{2} consecutive", "next")));
    book.apply(upsert("c2", 1, large("c2", 900, "{2} consecutive", "next")));
    book.apply(upsert("a1", 1, large("a1", 500, "{2} any combination", "then")));
    book.apply(upsert("a2", 1, large("a2", 700, "{2} any combination", "then")));
    // Relaxed iterations ignore what the stage's condition turns away, greedy loops proceed on
    // what it turns away: a looser shared condition would change the matches. Those rules share
    // only with rules whose loop is the same (the next stage, taken by `next`, may differ).
    book.apply(upsert("relaxed1", 1, large("relaxed1", 500, "{2}", "next")));
    book.apply(upsert("relaxed2", 1, large("relaxed2", 900, "{2}", "next")));
    book.apply(upsert("greedy1", 1, large("greedy1", 500, "{2,} consecutive greedy", "next")));
    book.apply(upsert("greedy2", 1, large("greedy2", 900, "{2,} consecutive greedy", "next")));

    assertThat(book.families())
        .map(f -> ((RuleFamily) f.rule()).members().stream().map(m -> m.rule().id()).toList())
        .containsExactly(
            List.of("c1", "c2"),
            List.of("a1", "a2"),
            List.of("relaxed1"),
            List.of("relaxed2"),
            List.of("greedy1"),
            List.of("greedy2"));
    RuleFamily consecutive = (RuleFamily) book.families().get(0).rule();
    assertThat(consecutive.splitsFinalStage()).isFalse();
    assertThat(consecutive.testsMembers()).isTrue();
    assertThat(consecutive.startsDiffer()).isTrue();
    assertThat(((RuleFamily) book.families().get(2).rule()).startsDiffer()).isFalse();
  }

  @Test
  void rulesSkippingPastTheLastEventShareALoopOnlyWhenTheNextStageCanTakeNoneOfItsEvents() {
    RuleBook book = book();
    book.apply(upsert("b1", 1, burst("b1", 500, "{3,} consecutive", "next", 100)));
    book.apply(upsert("b2", 1, burst("b2", 900, "{3,} consecutive", "next", 100)));
    // `amount < 600` passes some of b3's large amounts: a partial match of b3 may outlive a match
    // (and be dropped by it, or hold it back), which the shared NFA cannot know. b4's threshold
    // leaves no amount between, so b4 may share with a rule of its shape.
    book.apply(upsert("b3", 1, burst("b3", 500, "{3,} consecutive", "next", 600)));
    book.apply(upsert("b4", 1, burst("b4", 900, "{3,} consecutive", "next", 600)));
    book.apply(upsert("b5", 1, burst("b5", 950, "{3,} consecutive", "next", 600)));
    // Relaxed contiguity after the loop, or iterations in any combination, let partial matches
    // outlive a match too.
    book.apply(upsert("then1", 1, burst("then1", 500, "{3,} consecutive", "then", 100)));
    book.apply(upsert("then2", 1, burst("then2", 900, "{3,} consecutive", "then", 100)));
    book.apply(upsert("any1", 1, burst("any1", 500, "{3,} any combination", "next", 100)));
    book.apply(upsert("any2", 1, burst("any2", 900, "{3,} any combination", "next", 100)));

    assertThat(book.families())
        .map(f -> ((RuleFamily) f.rule()).members().stream().map(m -> m.rule().id()).toList())
        .containsExactly(List.of("b1", "b2"), List.of("b4", "b5"));
    RuleFamily bursts = (RuleFamily) book.families().get(0).rule();
    assertThat(bursts.splitsFinalStage()).isFalse();
    assertThat(bursts.firstMatchOnly()).isTrue();
    assertThat(bursts.pattern().getAfterMatchSkipStrategy().isSkipStrategy()).isFalse();
  }
}
