package io.vigil.runtime.matcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.cli.RuleFiles;
import io.vigil.compiler.rule.Compilation;
import io.vigil.compiler.rule.RuleCompiler;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.runtime.Samples;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleSources;
import io.vigil.runtime.rules.compiled.CompilingRuleBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Rule families: rules that differ only in their final stage's condition (and, when the prefix is
 * one stage taken once, in that stage's condition) run as one family (one NFA of the shared prefix
 * per key, each member's final stage on its own); rules that differ only in the condition of a
 * stage that Flink's NFA uses only to take events run as one condition family (one NFA whose stage
 * takes what any member's takes). For random families (shape, link, loop count, window, skip
 * strategy, each member's thresholds, and windows that are the family's or each member's own) and
 * random histories over the sample streams, the runtime gives exactly the alerts of one static
 * {@code CEP.pattern} operator per rule; a rule outside any family runs beside them.
 */
class DifferentialFamiliesTest {

  private static FlinkTestCluster cluster;
  private static List<RuleCommand.DeclareStream> streams;
  private static Compilation streamCompilation;
  private static final Map<String, Long> ALERTS_PER_SHAPE = new TreeMap<>();

  @BeforeContainer
  static void start() throws Exception {
    cluster = new FlinkTestCluster(4);
    List<SourceFile> sources = RuleFiles.read(List.of(Samples.dir().resolve("streams.vgl")));
    streamCompilation = RuleCompiler.compile(sources);
    streams = new ArrayList<>();
    for (RuleCommand c : RuleSources.commands(sources, 1)) {
      if (c instanceof RuleCommand.DeclareStream s) {
        streams.add(s);
      }
    }
  }

  @AfterContainer
  static void stop() throws Exception {
    cluster.close();
    System.out.println("family alerts per shape over all tries: " + ALERTS_PER_SHAPE);
    // The comparison means something only if the families' members fire.
    assertThat(ALERTS_PER_SHAPE).hasSizeGreaterThanOrEqualTo(3);
  }

  /** Amounts of the generated payments are 0.99, 1.00, 1.50, 600, 950 and 1200. */
  static final String[] THRESHOLDS = {"0.5", "1.0", "1.2", "599", "600", "900", "950", "1199"};

  /** First-stage thresholds of the shape whose first stage is one payment. */
  static final String[] FIRST_THRESHOLDS = {"500", "0.5", "1.2", "900"};

  static final String[] LINKS = {"then", "next", "then any"};
  static final String[] WINDOWS = {"45s", "3m", "10m"};
  static final String[] SKIPS = {"none", "past last event"};

  /**
   * A family: its shape, how the final stage follows, the loop count, window, skip strategy, each
   * member's final threshold and first threshold (the one-payment shape only).
   */
  record FamilyDraft(
      int shape,
      int link,
      int times,
      int window,
      int skip,
      List<Integer> thresholds,
      List<Integer> firsts) {}

  @Provide
  Arbitrary<FamilyDraft> families() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 2),
            Arbitraries.integers().between(0, 2),
            Arbitraries.integers().between(1, 3),
            Arbitraries.integers().between(0, 2),
            Arbitraries.integers().between(0, 1),
            Arbitraries.integers()
                .between(0, THRESHOLDS.length - 1)
                .list()
                .ofMinSize(2)
                .ofMaxSize(5),
            Arbitraries.integers().between(0, FIRST_THRESHOLDS.length - 1).list().ofSize(5))
        .as(FamilyDraft::new);
  }

  @Provide
  Arbitrary<List<DifferentialSampleRulesTest.Draft>> histories() {
    return DifferentialSampleRulesTest.histories(Arbitraries.integers().between(0, 1), 40, 120);
  }

  /** Each member's window, by index into {@link #WINDOWS}. */
  @Provide
  Arbitrary<List<Integer>> memberWindows() {
    return Arbitraries.integers().between(0, WINDOWS.length - 1).list().ofSize(5);
  }

  /** The window of member {@code i}: its own from {@code windows}, else the family's. */
  static String window(FamilyDraft f, List<Integer> windows, int i) {
    return WINDOWS[windows.isEmpty() ? f.window() : windows.get(i)];
  }

  static String member(FamilyDraft f, List<Integer> windows, int i) {
    String link = LINKS[f.link()];
    String threshold = THRESHOLDS[f.thresholds().get(i)];
    String pattern =
        switch (f.shape()) {
          // A loop of declines (relaxed, as the benchmark's family), then an approved payment.
          case 0 ->
              "d: payments(status == \"DECLINED\" or amount < 1.2) {%d}\n    %s ok: payments(status == \"APPROVED\" and amount > %s)"
                  .formatted(f.times(), link, threshold);
          // A final condition that reads the prefix (a stage taken once: `a.country` is one value).
          // Members differ in the first stage too.
          case 1 ->
              "a: payments(amount > %s)\n    %s b: payments(amount > %s and country != a.country)"
                  .formatted(FIRST_THRESHOLDS[f.firsts().get(i)], link, threshold);
          // Two streams: a login, then a payment.
          default ->
              "l: logins(success)\n    %s p: payments(amount > %s and country != l.country)"
                  .formatted(link, threshold);
        };
    String key = f.shape() == 2 ? "accountId" : "cardId";
    return """
        rule fam_%d
          severity high
          partition by %s
          pattern
            %s
          within %s
          skip %s
          alert "member %d"
        """
        .formatted(i, key, pattern, window(f, windows, i), SKIPS[f.skip()], i);
  }

  /** A rule of another shape (skip past last event: in no family), beside the family. */
  static final String OTHER =
      """
      rule other
        severity low
        partition by cardId
        pattern
          a: payments(amount > 900)
          then b: payments(amount > 900)
        within 5m
        skip past last event
        alert "two large"
      """;

  @Property(tries = 10, seed = "20261204")
  void aFamilyGivesEachMemberTheAlertsOfItsOwnStaticCep(
      @ForAll("families") FamilyDraft family,
      @ForAll("histories") List<DifferentialSampleRulesTest.Draft> history)
      throws Exception {
    compare(family, history, Duration.ZERO);
  }

  /**
   * Families with {@code skip past last event} whose members also differ in the first stage: a
   * member's match waits behind its earlier partial matches and prunes those begun by its last
   * event, its own and no other member's.
   */
  @Property(tries = 12, seed = "20261206")
  void aPastLastEventFamilyGivesEachMemberTheAlertsOfItsOwnStaticCep(
      @ForAll("pastLastFamilies") FamilyDraft family,
      @ForAll("histories") List<DifferentialSampleRulesTest.Draft> history)
      throws Exception {
    compare(family, history, Duration.ZERO);
  }

  @Provide
  Arbitrary<FamilyDraft> pastLastFamilies() {
    return families()
        .map(
            f ->
                new FamilyDraft(
                    1 + f.shape() % 2,
                    f.link() % 2,
                    f.times(),
                    f.window(),
                    1,
                    f.thresholds(),
                    f.firsts()));
  }

  /**
   * Members with windows of their own share one family (but for a negation): it runs with the
   * longest, and each member takes the matches whose last event is within its own window of the
   * first, and drops its waits at its own window.
   */
  @Property(tries = 10, seed = "20261212")
  void membersWithTheirOwnWindowsGetTheAlertsOfTheirOwnStaticCep(
      @ForAll("families") FamilyDraft family,
      @ForAll("memberWindows") List<Integer> windows,
      @ForAll("histories") List<DifferentialSampleRulesTest.Draft> history)
      throws Exception {
    compare(family, windows, history, Duration.ZERO);
  }

  /** The same with {@code skip past last event}, and with each key drained over many watermarks. */
  @Property(tries = 8, seed = "20261213")
  void membersWithTheirOwnWindowsSkippingPastTheLastEventGetTheirOwnAlerts(
      @ForAll("pastLastFamilies") FamilyDraft family,
      @ForAll("memberWindows") List<Integer> windows,
      @ForAll("histories") List<DifferentialSampleRulesTest.Draft> history)
      throws Exception {
    compare(family, windows, history, Duration.ofMillis(family.times() == 1 ? 2 : 0));
  }

  /**
   * A final condition that reads only its own event is evaluated once per member and event, not
   * once per waiting partial match; after {@code next} every waiter it does not take still goes.
   */
  @Property(tries = 4, seed = "20261207")
  void aNextFinalStageThatReadsOnlyItsEventDropsEveryWaiterItDoesNotTake(
      @ForAll("histories") List<DifferentialSampleRulesTest.Draft> history) throws Exception {
    compare(
        new FamilyDraft(0, 1, 2, 2, 0, List.of(0, 3, 5), List.of(0, 0, 0, 0, 0)),
        history,
        Duration.ZERO);
  }

  /** The same with each key drained over many watermarks (waiters carry from drain to drain). */
  @Property(tries = 8, seed = "20261205")
  void theSameWhenEachKeyIsDrainedOverManyWatermarks(
      @ForAll("families") FamilyDraft family,
      @ForAll("histories") List<DifferentialSampleRulesTest.Draft> history)
      throws Exception {
    compare(family, history, Duration.ofMillis(2));
  }

  /** Temperatures of the generated readings are 10, 20, 85, 91, 95.5 and 99. */
  static final String[] TEMPERATURE_THRESHOLDS = {"15", "84", "86", "92", "95.6", "98"};

  /** Vibrations of the generated readings are 0.5, 0.9, 2.6, 3.0, 3.5 and 4.0. */
  static final String[] VIBRATION_THRESHOLDS = {"0.2", "2.0", "2.9", "3.2", "3.8"};

  static final String[] CONDITION_LINKS = {"next", "then any"};

  /**
   * A member of a condition family over readings and maintenance: a consecutive run of hot readings
   * and no ack (the negation after the shared stage), a run of vibrations then the next calm one
   * (or, by the second link, the next event being a fix: another stream), or two hot readings
   * (relaxed, the same for all) then, by {@code next} or {@code then any}, a vibration loop ({@code
   * consecutive} or {@code any combination}) and no fix.
   */
  static String conditionMember(FamilyDraft f, List<Integer> windows, int i) {
    String temperature = TEMPERATURE_THRESHOLDS[f.thresholds().get(i) % 6];
    String vibration = VIBRATION_THRESHOLDS[f.thresholds().get(i) % 5];
    String pattern =
        switch (f.shape()) {
          case 0 ->
              "hot: readings(temperature > %s) {%d} consecutive\n    then not ack: maintenance(action == \"ACK\")"
                  .formatted(temperature, f.times() + 1);
          case 1 ->
              "rise: readings(vibration > %s) {%d,} consecutive\n    next %s"
                  .formatted(
                      vibration,
                      f.times(),
                      f.link() == 1
                          ? "fix: maintenance(action == \"FIXED\")"
                          : "calm: readings(vibration < 1.0)");
          default ->
              "a: readings(temperature > 90) {2}\n    %s b: readings(vibration > %s) %s\n    then not fix: maintenance(action == \"FIXED\")"
                  .formatted(
                      CONDITION_LINKS[f.link() % 2],
                      vibration,
                      f.times() == 1
                          ? ""
                          : "{%d} %s"
                              .formatted(
                                  f.times(), f.window() == 1 ? "any combination" : "consecutive"));
        };
    return """
        rule cond_%d
          severity high
          partition by deviceId
          pattern
            %s
          within %s
          skip %s
          alert "member %d"
        """
        .formatted(i, pattern, window(f, windows, i), conditionSkip(f), i);
  }

  /**
   * The run of vibrations then the next calm one also with {@code skip past last event}, where a
   * member takes only the first match of an event (thresholds from 2.0 up: its calm reading is none
   * of its rise; below that the member runs on its own).
   */
  static String conditionSkip(FamilyDraft f) {
    return f.shape() == 1 ? SKIPS[f.skip()] : "none";
  }

  /** Readings, and a maintenance event one time in four. */
  @Provide
  Arbitrary<List<DifferentialSampleRulesTest.Draft>> deviceHistories() {
    return DifferentialSampleRulesTest.histories(Arbitraries.of(2, 2, 2, 3), 40, 120);
  }

  @Property(tries = 12, seed = "20261208")
  void aConditionFamilyGivesEachMemberTheAlertsOfItsOwnStaticCep(
      @ForAll("families") FamilyDraft family,
      @ForAll("deviceHistories") List<DifferentialSampleRulesTest.Draft> history)
      throws Exception {
    compareConditions(family, history, Duration.ZERO);
  }

  /**
   * Runs of vibrations then the next calm reading with {@code skip past last event}: each member
   * emits the match its own NFA emits first, and none of the longer runs' others.
   */
  @Property(tries = 8, seed = "20261210")
  void aConditionFamilySkippingPastTheLastEventGivesEachMemberItsOwnFirstMatch(
      @ForAll("pastLastVibrations") FamilyDraft family,
      @ForAll("deviceHistories") List<DifferentialSampleRulesTest.Draft> history)
      throws Exception {
    compareConditions(family, history, Duration.ZERO);
  }

  /** The same when the next stage is of another stream (a fix right after the run). */
  @Property(tries = 6, seed = "20261211")
  void aConditionFamilySkippingPastTheLastEventMayEndOnAnotherStream(
      @ForAll("pastLastVibrations") FamilyDraft family,
      @ForAll("deviceHistories") List<DifferentialSampleRulesTest.Draft> history)
      throws Exception {
    FamilyDraft fix =
        new FamilyDraft(1, 1, 1, family.window(), 1, family.thresholds(), family.firsts());
    compareConditions(fix, history, Duration.ZERO);
  }

  @Provide
  Arbitrary<FamilyDraft> pastLastVibrations() {
    return families()
        .map(
            f ->
                new FamilyDraft(1, f.link(), f.times(), f.window(), 1, f.thresholds(), f.firsts()));
  }

  /** The same with each key drained over many watermarks (partial matches carry between drains). */
  @Property(tries = 6, seed = "20261209")
  void aConditionFamilyDrainedOverManyWatermarksGivesTheSameAlerts(
      @ForAll("families") FamilyDraft family,
      @ForAll("deviceHistories") List<DifferentialSampleRulesTest.Draft> history)
      throws Exception {
    compareConditions(family, history, Duration.ofMillis(2));
  }

  /**
   * Condition families whose members have windows of their own: the vibration runs share one NFA at
   * the longest window; members with a negation form one family per window.
   */
  @Property(tries = 10, seed = "20261214")
  void conditionFamilyMembersWithTheirOwnWindowsGetTheAlertsOfTheirOwnStaticCep(
      @ForAll("families") FamilyDraft family,
      @ForAll("memberWindows") List<Integer> windows,
      @ForAll("deviceHistories") List<DifferentialSampleRulesTest.Draft> history)
      throws Exception {
    compareConditions(family, windows, history, Duration.ZERO);
  }

  /** The same for runs of vibrations skipping past the last event, drained over many watermarks. */
  @Property(tries = 8, seed = "20261215")
  void conditionFamilyMembersWithTheirOwnWindowsSkippingPastTheLastEventGetTheirOwnFirstMatch(
      @ForAll("pastLastVibrations") FamilyDraft family,
      @ForAll("memberWindows") List<Integer> windows,
      @ForAll("deviceHistories") List<DifferentialSampleRulesTest.Draft> history)
      throws Exception {
    compareConditions(family, windows, history, Duration.ofMillis(family.times() == 1 ? 2 : 0));
  }

  private static void compareConditions(
      FamilyDraft family, List<DifferentialSampleRulesTest.Draft> history, Duration pacing)
      throws Exception {
    compareConditions(family, List.of(), history, pacing);
  }

  private static void compareConditions(
      FamilyDraft family,
      List<Integer> windows,
      List<DifferentialSampleRulesTest.Draft> history,
      Duration pacing)
      throws Exception {
    List<RuleCommand.UpsertRule> rules = new ArrayList<>();
    for (int i = 0; i < family.thresholds().size(); i++) {
      rules.add(
          new RuleCommand.UpsertRule(
              "cond_" + i, 1, conditionMember(family, windows, i), Long.MIN_VALUE, false));
    }
    compare(
        rules,
        history,
        pacing,
        "cond_",
        "condition "
            + family.shape()
            + "/"
            + family.times()
            + "/"
            + family.link() % 2
            + "/"
            + conditionSkip(family)
            + (windows.isEmpty() ? "" : "/own windows"));
  }

  private static void compare(
      FamilyDraft family, List<DifferentialSampleRulesTest.Draft> history, Duration pacing)
      throws Exception {
    compare(family, List.of(), history, pacing);
  }

  private static void compare(
      FamilyDraft family,
      List<Integer> windows,
      List<DifferentialSampleRulesTest.Draft> history,
      Duration pacing)
      throws Exception {
    List<RuleCommand.UpsertRule> rules = new ArrayList<>();
    for (int i = 0; i < family.thresholds().size(); i++) {
      rules.add(
          new RuleCommand.UpsertRule(
              "fam_" + i, 1, member(family, windows, i), Long.MIN_VALUE, false));
    }
    rules.add(new RuleCommand.UpsertRule("other", 1, OTHER, Long.MIN_VALUE, false));
    compare(
        rules,
        history,
        pacing,
        "fam_",
        family.shape()
            + "/"
            + LINKS[family.link()]
            + "/"
            + SKIPS[family.skip()]
            + (windows.isEmpty() ? "" : "/own windows"));
  }

  /**
   * Runs {@code rules} both ways on {@code history}, asserts the same alerts, and counts those of
   * the rules named {@code prefix…} under {@code shape}.
   */
  private static void compare(
      List<RuleCommand.UpsertRule> rules,
      List<DifferentialSampleRulesTest.Draft> history,
      Duration pacing,
      String prefix,
      String shape)
      throws Exception {
    Map<String, Long> dynamic = new HashMap<>();
    Map<String, Long> fixed = new HashMap<>();
    Differential.run(
        new CompilingRuleBuilder(),
        streams,
        rules,
        DifferentialSampleRulesTest.events(history, streamCompilation),
        Duration.ofSeconds(5),
        pacing,
        dynamic,
        fixed);
    Differential.assertSameAlerts(dynamic, fixed);
    fixed.forEach(
        (alert, n) -> {
          if (alert.startsWith(prefix)) {
            ALERTS_PER_SHAPE.merge(shape, n, Long::sum);
          }
        });
  }
}
