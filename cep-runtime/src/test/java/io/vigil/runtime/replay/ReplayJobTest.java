package io.vigil.runtime.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleSources;
import io.vigil.runtime.routing.EventTimeLimits;
import io.vigil.runtime.rules.compiled.CompilingRuleBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay's rules never change: its job holds the operators of DRL decision rule sets only when
 * one of its rules is one, and each reader's events go from the file's bytes to the matcher in one
 * task.
 */
class ReplayJobTest {

  @TempDir Path dir;

  private static final String STREAM =
      """
      stream taps
        time ts
        fields
          id: string
          kind: string
          ts: timestamp
      """;

  private static final String PATTERN_RULE =
      """
      rule two_taps
        from taps
        partition by id
        pattern
          a: kind == "A" then b: kind == "B"
        within 1m
      """;

  private static final String DRL_RULE_SET =
      """
      // vigil: streams taps
      // vigil: partition by id
      // vigil: expire after 10m
      package taps.repeat;

      rule "an A"
      when
        $a : taps( kind == "A" )
      then
        alerts.raise("A");
      end
      """;

  private StreamGraph graph(List<SourceFile> sources, int parallelism) throws Exception {
    Path events = Files.writeString(dir.resolve("events.jsonl"), "");
    List<RuleCommand> commands = RuleSources.commands(sources, 1);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    ReplayJob.lines(
            env, commands, events, parallelism, EventTimeLimits.none(), new CompilingRuleBuilder())
        .print();
    return env.getStreamGraph(false);
  }

  private List<String> operators(List<SourceFile> sources) throws Exception {
    return graph(sources, 1).getStreamNodes().stream().map(StreamNode::getOperatorName).toList();
  }

  /** The name of each task of the job: its operators, chained. */
  private List<String> tasks(List<SourceFile> sources, int parallelism) throws Exception {
    List<String> tasks = new ArrayList<>();
    graph(sources, parallelism).getJobGraph().getVertices().forEach(v -> tasks.add(v.getName()));
    return tasks;
  }

  private static final List<SourceFile> PATTERN_RULES =
      List.of(new SourceFile("rules.vgl", STREAM + PATTERN_RULE));

  private static final List<SourceFile> PATTERN_AND_DRL_RULES =
      List.of(
          new SourceFile("rules.vgl", STREAM + PATTERN_RULE),
          new SourceFile("taps.drl", DRL_RULE_SET));

  @Test
  void patternRulesAloneRunWithoutTheDecisionOperators() throws Exception {
    List<String> operators = operators(PATTERN_RULES);

    assertThat(operators).contains("vigil-matcher").noneMatch(name -> name.contains("decision"));
  }

  @Test
  void aDrlRuleSetBringsThemIn() throws Exception {
    List<String> operators = operators(PATTERN_AND_DRL_RULES);

    assertThat(operators).contains("vigil-matcher", "vigil-decision-sessions");
  }

  @Test
  void oneReaderReadsRoutesAndMatchesInOneTask() throws Exception {
    List<String> tasks = tasks(PATTERN_RULES, 1);

    assertThat(tasks)
        .anySatisfy(
            task ->
                assertThat(task)
                    .contains("events-file-ranges", "events-file-router", "vigil-matcher"));
  }

  @Test
  void severalReadersEachReadRouteAndMatchInOneTask() throws Exception {
    List<String> tasks = tasks(PATTERN_RULES, 2);

    assertThat(tasks)
        .anySatisfy(
            task ->
                assertThat(task)
                    .contains("events-file-router", "vigil-own-keys", "vigil-matcher")
                    .doesNotContain("events-file-ranges"));
  }

  @Test
  void severalReadersHandDecisionRuleSetsTheirEventsByKey() throws Exception {
    assertTheMatcherIsATaskOfItsOwn(tasks(PATTERN_AND_DRL_RULES, 2));
  }

  @Test
  void decisionRuleSetsTakeTheRulesAsASecondInput() throws Exception {
    assertTheMatcherIsATaskOfItsOwn(tasks(PATTERN_AND_DRL_RULES, 1));
  }

  private static void assertTheMatcherIsATaskOfItsOwn(List<String> tasks) {
    assertThat(tasks)
        .anySatisfy(task -> assertThat(task).contains("vigil-matcher"))
        .noneSatisfy(task -> assertThat(task).contains("events-file-router", "vigil-matcher"));
  }
}
