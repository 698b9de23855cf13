package io.vigil.runtime.verify;

import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleSources;
import io.vigil.runtime.replay.CollectedReplay;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs test cases through the real engine: each case is its own bounded replay ({@link
 * CollectedReplay}, the path of {@code vigil run}) of the case's events, with every declared stream
 * and only the rules of the test file's {@code .vgl} file, all active from the first event. A
 * bounded replay ends with event time at its maximum, so {@code within} and {@code on timeout}
 * alerts of open matches are raised at the end, as {@code vigil run} raises them.
 */
public final class RuleTestRunner {

  private final List<RuleCommand> streams;
  private final Supplier<StreamExecutionEnvironment> environments;

  /**
   * @param sources every rule and stream file compiled together (they must compile: check first)
   * @param environments a fresh environment per case
   */
  public RuleTestRunner(List<SourceFile> sources, Supplier<StreamExecutionEnvironment> environments)
      throws RuleSources.SyntaxException {
    this.streams =
        RuleSources.commands(sources, 1).stream()
            .filter(c -> c instanceof RuleCommand.DeclareStream)
            .toList();
    this.environments = environments;
  }

  /** Runs every case of {@code file} against the rules of {@code ruleSource} (its .vgl file). */
  public List<CaseResult> run(RuleTestFile file, SourceFile ruleSource)
      throws RuleSources.SyntaxException {
    List<RuleCommand> rules =
        RuleSources.commands(List.of(ruleSource), 1).stream()
            .filter(c -> c instanceof RuleCommand.UpsertRule)
            .toList();
    List<RuleCommand> commands = new ArrayList<>(streams);
    commands.addAll(rules);
    List<CaseResult> results = new ArrayList<>();
    for (RuleTestCase c : file.cases()) {
      results.add(run(c, commands));
    }
    return results;
  }

  /** The rule ids {@code ruleSource} declares. */
  public static Set<String> ruleIds(SourceFile ruleSource) throws RuleSources.SyntaxException {
    return RuleSources.commands(List.of(ruleSource), 1).stream()
        .filter(c -> c instanceof RuleCommand.UpsertRule)
        .map(c -> ((RuleCommand.UpsertRule) c).ruleId())
        .collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  private CaseResult run(RuleTestCase c, List<RuleCommand> commands) {
    List<String> lines = c.events().lines().filter(l -> !l.isBlank()).toList();
    Path input = null;
    try {
      input = Files.createTempFile("vigil-verify", ".jsonl");
      Files.write(input, lines, StandardCharsets.UTF_8);
      CollectedReplay result = CollectedReplay.of(environments.get(), commands, input, 1);
      return new CaseResult(
          c.name(), c.expected(), AlertSignature.of(result.alerts()), result.problems());
    } catch (Exception e) {
      return new CaseResult(
          c.name(), c.expected(), List.of(), List.of("the run failed: " + rootMessage(e)));
    } finally {
      if (input != null) {
        try {
          Files.deleteIfExists(input);
        } catch (IOException ignored) {
          // A temporary file left behind is harmless.
        }
      }
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
