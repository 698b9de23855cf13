package io.vigil.samples.groundtruth;

import io.vigil.compiler.cli.RuleFiles;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleSources;
import io.vigil.runtime.replay.CollectedReplay;
import io.vigil.samples.generate.Incident;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil-samples-score --rules FILE|DIR… --events FILE}: replays the events through the real
 * engine (the same path as {@code vigil run}) and prints precision and recall of each rule against
 * the incident labels beside the events.
 */
@Command(
    name = "vigil-samples-score",
    mixinStandardHelpOptions = true,
    description = "Precision and recall of each rule against the planted incidents' labels.")
public final class ScoreMain implements Callable<Integer> {

  @Option(
      names = "--rules",
      required = true,
      arity = "1..*",
      description = "rule files or folders (streams included)")
  List<Path> rules;

  @Option(names = "--events", required = true, description = "replay file (JSON Lines)")
  Path events;

  @Option(
      names = "--labels",
      description = "incident labels (default: <events>.labels.jsonl beside the events)")
  Path labels;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ScoreMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path labelFile = labels == null ? IncidentLabels.besideEvents(events) : labels;
    if (!Files.isRegularFile(labelFile)) {
      System.err.println("vigil-samples-score: no labels at " + labelFile);
      return 2;
    }
    Scorecard card = score(rules, events, IncidentLabels.read(labelFile));
    System.out.print(card.markdown());
    return 0;
  }

  /** Runs the rules on the events through the engine and scores the alerts against labels. */
  public static Scorecard score(List<Path> rules, Path events, List<Incident> labels)
      throws Exception {
    List<SourceFile> sources = RuleFiles.read(rules);
    List<RuleCommand> commands = RuleSources.commands(sources, 1);
    List<String> ruleIds =
        commands.stream()
            .filter(RuleCommand.UpsertRule.class::isInstance)
            .map(c -> ((RuleCommand.UpsertRule) c).ruleId())
            .toList();
    CollectedReplay result = CollectedReplay.of(commands, events, 1);
    if (!result.problems().isEmpty()) {
      throw new IllegalStateException("replay problems: " + result.problems());
    }
    return Scorecard.of(ruleIds, result.alerts(), labels);
  }
}
