package io.vigil.runtime.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleSources;
import io.vigil.runtime.routing.EventTimeLimits;
import io.vigil.runtime.rules.compiled.CompilingRuleBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay's rules never change: its job holds the operators of DRL decision rule sets only when
 * one of its rules is one.
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

  private List<String> operators(List<SourceFile> sources) throws Exception {
    Path events = Files.writeString(dir.resolve("events.jsonl"), "");
    List<RuleCommand> commands = RuleSources.commands(sources, 1);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    ReplayJob.lines(env, commands, events, 1, EventTimeLimits.none(), new CompilingRuleBuilder())
        .print();
    return env.getStreamGraph(false).getStreamNodes().stream()
        .map(StreamNode::getOperatorName)
        .toList();
  }

  @Test
  void patternRulesAloneRunWithoutTheDecisionOperators() throws Exception {
    List<String> operators = operators(List.of(new SourceFile("rules.vgl", STREAM + PATTERN_RULE)));

    assertThat(operators).contains("vigil-matcher").noneMatch(name -> name.contains("decision"));
  }

  @Test
  void aDrlRuleSetBringsThemIn() throws Exception {
    List<String> operators =
        operators(
            List.of(
                new SourceFile("rules.vgl", STREAM + PATTERN_RULE),
                new SourceFile("taps.drl", DRL_RULE_SET)));

    assertThat(operators).contains("vigil-matcher", "vigil-decision-sessions");
  }
}
