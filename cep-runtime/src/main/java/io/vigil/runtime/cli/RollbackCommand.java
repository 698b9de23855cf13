package io.vigil.runtime.cli;

import io.vigil.runtime.deploy.Change;
import io.vigil.runtime.deploy.Deployer;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil rollback RULE --to N}: publishes version N's source again, as a new version. */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description = {
      "Publish an earlier version's source again, as the rule's next version.",
      "",
      "The source comes from the history topic (see `vigil status RULE` for the versions);"
          + " the job treats it like any new version (a changed pattern starts fresh state)."
          + " Nothing is published when that source is what is deployed already.",
      "",
      "Exit status: 0 done, 1 rejected by the job, 2 a usage or Kafka error (e.g. no such"
          + " version), 3 no complete acknowledgement within --timeout."
    })
public final class RollbackCommand extends DeployingCommand {

  @Parameters(index = "0", paramLabel = "RULE", description = "A rule id, or stream:<name>.")
  String rule;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "N",
      description = "The version to restore.")
  long version;

  @Mixin WaitOptions waiting;

  @Override
  int run(Deployer deployer, PrintWriter out, PrintWriter err) {
    return follow(
        deployer,
        List.of(deployer.publish(new Change.Rollback(rule, version))),
        waiting.wait,
        waiting.timeout,
        out);
  }
}
