package io.vigil.runtime.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.rule.Compilation;
import io.vigil.compiler.rule.CompiledRule;
import io.vigil.compiler.rule.RuleCompiler;
import io.vigil.compiler.sql.Explainer;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.control.RuleSources;
import io.vigil.runtime.replay.CollectedReplay;
import io.vigil.runtime.sql.MatchRecognizeRunner.Reading;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code MATCH_RECOGNIZE} statements {@code vigil explain} prints, run through Flink SQL on the
 * same events as the rules run through the engine: one rule per construct that has a SQL form.
 * Where they agree, the matches (key, first and last event time) are equal; where they differ, the
 * difference is the one {@code docs/language.md} (Flink SQL export) states. Every rule must match
 * something, so that agreement is never vacuous.
 */
class SqlPathAgreementTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static final String STREAM =
      """
      stream readings
        time ts
        fields
          deviceId: string
          temperature: double
          vibration: double
          status: string
          ts: timestamp
      """;

  /** Rule id → source; each reads {@code readings}, partitioned by device. */
  static final Map<String, String> RULES = new LinkedHashMap<>();

  static {
    rule(
        "strict_next", "a: temperature > 90\n    next b: temperature > 90", "skip past last event");
    rule(
        "relaxed_then_within",
        "a: status == \"FAULT\"\n    then b: status == \"FIXED\"",
        "within 1m\n  skip past last event");
    rule(
        "times_consecutive",
        "hot: temperature > 80 {3} consecutive\n    then cold: temperature < 20",
        "within 2m\n  skip past last event");
    rule(
        "range_consecutive",
        "v: vibration > 2.5 {2,3} consecutive\n    next calm: vibration < 1.0",
        "skip past last event");
    rule(
        "at_least_having",
        "rise: vibration > 2.5 {2,} consecutive\n    next calm: vibration < 1.0",
        "within 2m\n  skip past last event\n  having avg(rise.vibration) > 3.0");
    rule(
        "optional_stage",
        "a: temperature > 90\n    next b: temperature > 80 ?\n    next c: temperature < 20",
        "skip past last event");
    rule(
        "earlier_stage_reference",
        "a: temperature > 40\n    next b: temperature > a.temperature",
        "skip past last event");
    rule("skip_to_next", "a: temperature > 80\n    next b: temperature > 80", "skip to next");
    rule(
        "loop_at_the_end",
        "a: status == \"FAULT\"\n    next b: temperature > 80 {2,} consecutive",
        "within 1m\n  skip past last event");
    rule(
        "no_skip_loop_at_the_end",
        "a: status == \"FAULT\"\n    next b: temperature > 80 {2,} consecutive",
        "within 1m");
    rule(
        "then_before_a_consecutive_loop",
        "a: status == \"FAULT\"\n    then b: temperature > 80 {2,} consecutive",
        "within 1m\n  skip past last event");
  }

  private static void rule(String id, String pattern, String tail) {
    RULES.put(
        id,
        "rule %s\n  from readings\n  partition by deviceId\n  pattern\n    %s\n  %s\n  alert \"m\"\n"
            .formatted(id, pattern, tail));
  }

  static List<Reading> readings;
  static Map<String, List<String>> engine;
  static Map<String, List<String>> sql;
  static Compilation compilation;

  @TempDir static Path dir;

  /** 3 devices × 150 readings, 5 s apart, values from small sets so that every rule matches. */
  static List<Reading> readings() {
    Random random = new Random(20261204L);
    double[] temperatures = {10, 50, 85, 95};
    double[] vibrations = {0.5, 2.0, 2.8, 3.6};
    String[] statuses = {"OK", "OK", "OK", "FAULT", "FIXED"};
    List<Reading> out = new ArrayList<>();
    long t = 1_767_607_200_000L;
    for (int i = 0; i < 450; i++) {
      t += 5_000;
      out.add(
          new Reading(
              "d" + random.nextInt(3),
              temperatures[random.nextInt(temperatures.length)],
              vibrations[random.nextInt(vibrations.length)],
              statuses[random.nextInt(statuses.length)],
              t));
    }
    return out;
  }

  @BeforeAll
  static void runTheRulesThroughTheEngine() throws Exception {
    readings = readings();
    List<SourceFile> sources = new ArrayList<>();
    sources.add(new SourceFile("streams.vgl", STREAM));
    RULES.forEach((id, source) -> sources.add(new SourceFile(id + ".vgl", source)));
    compilation = RuleCompiler.compile(sources);
    assertThat(compilation.hasErrors()).as(compilation.render()).isFalse();
    Path events = dir.resolve("readings.jsonl");
    Files.write(events, readings.stream().map(Reading::json).toList());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    CollectedReplay result = CollectedReplay.of(env, RuleSources.commands(sources, 1), events, 1);
    assertThat(result.problems()).isEmpty();
    engine =
        result.alerts().stream()
            .collect(
                Collectors.groupingBy(
                    Alert::ruleId,
                    Collectors.mapping(
                        a -> a.key() + " " + a.startTime() + " " + a.endTime(),
                        Collectors.toList())));
    engine.replaceAll((id, matches) -> matches.stream().sorted().toList());

    Map<String, MatchRecognizeRunner.Statement> statements = new LinkedHashMap<>();
    for (String id : RULES.keySet()) {
      CompiledRule rule = compilation.rule(id).orElseThrow();
      Explainer.SqlExport export = Explainer.toSql(rule.checked());
      assertThat(export.statement()).as("the SQL of " + id + ": " + export.notes()).isPresent();
      List<String> stages = rule.stageNames();
      statements.put(
          id,
          new MatchRecognizeRunner.Statement(
              export.statement().get(), stages.get(0), stages.get(stages.size() - 1)));
    }
    sql = MatchRecognizeRunner.matches(env, readings, statements);
  }

  private List<String> engineMatches(String id) {
    List<String> matches = engine.getOrDefault(id, List.of());
    assertThat(matches).as("the engine's matches of " + id).isNotEmpty();
    return matches;
  }

  private List<String> sqlMatches(String id) {
    List<String> matches = sql.get(id);
    assertThat(matches).as("the SQL matches of " + id).isNotEmpty();
    return matches;
  }

  private void agree(String id) {
    assertThat(sqlMatches(id)).as(id).isEqualTo(engineMatches(id));
  }

  @Test
  void strictNextGivesTheSameMatches() {
    agree("strict_next");
  }

  @Test
  void relaxedThenWithAWindowGivesTheSameMatches() {
    agree("relaxed_then_within");
  }

  @Test
  void aConsecutiveCountGivesTheSameMatches() {
    agree("times_consecutive");
  }

  @Test
  void aConsecutiveRangeGivesTheSameMatches() {
    agree("range_consecutive");
  }

  @Test
  void anOpenLoopWithHavingGivesTheSameMatches() {
    agree("at_least_having");
  }

  @Test
  void anOptionalStageGivesTheSameMatches() {
    agree("optional_stage");
  }

  @Test
  void aConditionOnAnEarlierStageGivesTheSameMatches() {
    agree("earlier_stage_reference");
  }

  @Test
  void skipToNextGivesTheSameMatches() {
    agree("skip_to_next");
  }

  @Test
  void aLoopAtTheEndIsReluctantInSqlLikeTheRuleWithSkipPastLastEvent() {
    agree("loop_at_the_end");
  }

  @Test
  void withoutSkipALoopAtTheEndGivesTheRuleEveryLongerMatchAndSqlOnlyTheShortest() {
    List<String> rule = engineMatches("no_skip_loop_at_the_end");
    List<String> shortest = sqlMatches("no_skip_loop_at_the_end");
    assertThat(rule).containsAll(shortest);
    assertThat(rule.size()).isGreaterThan(shortest.size());
    // Each extra match of the rule extends one of SQL's: same start, later end.
    for (String extra : rule.stream().filter(m -> !shortest.contains(m)).toList()) {
      assertThat(shortest).anyMatch(m -> sameStart(m, extra) && end(m) < end(extra));
    }
  }

  /**
   * {@code then} before a stage that can still fail after its first event: the rule takes the first
   * event that satisfies the stage (Flink's {@code followedBy}), while SQL's {@code vigil_gap*?}
   * may also skip it and try a later one. SQL then finds a match where the rule's run broke off.
   */
  @Test
  void thenBeforeAConsecutiveLoopLetsSqlSkipEventsTheRuleTakes() {
    List<String> rule = engineMatches("then_before_a_consecutive_loop");
    List<String> withGap = sqlMatches("then_before_a_consecutive_loop");
    assertThat(
            Explainer.toSql(
                    compilation.rule("then_before_a_consecutive_loop").orElseThrow().checked())
                .notes())
        .anyMatch(n -> n.startsWith("`then b`: the rule takes the first event"));
    assertThat(
            Explainer.toSql(compilation.rule("relaxed_then_within").orElseThrow().checked())
                .notes())
        .noneMatch(n -> n.startsWith("`then b`"));
    List<String> onlySql = withGap.stream().filter(m -> !rule.contains(m)).toList();
    assertThat(onlySql).isNotEmpty();
    for (String match : onlySql) {
      // After the FAULT that starts it, the first hot reading of the device is not followed by
      // another hot one: the rule's loop starts there and breaks; SQL skipped that reading.
      List<Reading> after =
          readings.stream()
              .filter(r -> r.deviceId().equals(device(match)) && r.ts() > start(match))
              .toList();
      int firstHot = 0;
      while (after.get(firstHot).temperature() <= 80) {
        firstHot++;
      }
      assertThat(after.get(firstHot + 1).temperature()).as(match).isLessThanOrEqualTo(80);
    }
  }

  private static String device(String match) {
    return match.substring("{deviceId=".length(), match.indexOf('}'));
  }

  private static long start(String match) {
    return Long.parseLong(match.split(" ")[1]);
  }

  private static long end(String match) {
    return Long.parseLong(match.split(" ")[2]);
  }

  private static boolean sameStart(String a, String b) {
    return device(a).equals(device(b)) && start(a) == start(b);
  }
}
