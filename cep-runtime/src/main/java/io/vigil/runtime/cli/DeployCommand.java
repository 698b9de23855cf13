package io.vigil.runtime.cli;

import io.vigil.compiler.cli.CheckedSources;
import io.vigil.compiler.cli.RuleFiles;
import io.vigil.compiler.rule.Compilation;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.runtime.control.RuleSources;
import io.vigil.runtime.deploy.Change;
import io.vigil.runtime.deploy.Deployer;
import io.vigil.runtime.deploy.Publication;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vigil deploy --rules DIR}: checks every rule and stream with the compiler, publishes the
 * changed ones (streams first) with their next versions, and follows the job's acknowledgements.
 */
@Command(
    name = "deploy",
    mixinStandardHelpOptions = true,
    description = {
      "Check rules and streams, publish the changed ones to a running job, follow the job.",
      "",
      "Every file is compiled first: on any error the diagnostics are printed and nothing is"
          + " published. Then each stream declaration and rule whose source differs from what is"
          + " deployed gets its next version (one more than it ever had) and is published to the"
          + " control topic and the history topic in one transaction; unchanged ones keep their"
          + " version. With --wait (the default) each change is followed until the job reports it"
          + " active on all subtasks, or rejected.",
      "",
      "Exit status: 0 deployed, 1 an error in the rules or a rejection by the job,"
          + " 2 a usage or Kafka error, 3 no complete acknowledgement within --timeout."
    })
public final class DeployCommand extends DeployingCommand {

  @Option(
      names = "--rules",
      arity = "1..*",
      required = true,
      paramLabel = "FILE|DIR",
      description = "Rule files, or directories searched for *.vgl and *.drl; compiled together.")
  List<Path> rules;

  @Option(
      names = "--dry-run",
      description = "Check and show what would be published, without publishing.")
  boolean dryRun;

  @Mixin WaitOptions waiting;

  @Override
  int run(Deployer deployer, PrintWriter out, PrintWriter err) {
    List<SourceFile> sources;
    try {
      sources = RuleFiles.readWithDecisions(rules);
    } catch (UncheckedIOException e) {
      err.println("vigil deploy: " + e.getMessage());
      return FAILED;
    }
    if (sources.isEmpty()) {
      err.println("vigil deploy: no .vgl or .drl files in " + rules);
      return FAILED;
    }
    CheckedSources checked = CheckedSources.compile(sources);
    Compilation compilation = checked.compilation();
    compilation.diagnostics().forEach(d -> err.print(d.render()));
    err.flush();
    if (compilation.hasErrors()) {
      err.printf(
          "vigil deploy: %d error%s, nothing published%n",
          compilation.errors().size(), compilation.errors().size() == 1 ? "" : "s");
      return REJECTED;
    }
    List<Change> changes;
    try {
      changes = Change.fromSources(sources);
    } catch (RuleSources.SyntaxException e) {
      err.println("vigil deploy: " + e.getMessage());
      return REJECTED;
    }
    if (dryRun) {
      for (Publication p : deployer.preview(changes)) {
        out.printf(
            "%s %s%n",
            p.key(), p.changed() ? "would be published as v" + p.version() : "unchanged");
      }
      return OK;
    }
    return follow(deployer, deployer.publish(changes), waiting.wait, waiting.timeout, out);
  }
}
