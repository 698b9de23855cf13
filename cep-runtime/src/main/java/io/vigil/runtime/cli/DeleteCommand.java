package io.vigil.runtime.cli;

import io.vigil.runtime.deploy.Change;
import io.vigil.runtime.deploy.Deployer;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code vigil delete RULE}. */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = {
      "Remove a rule (a tombstone on the control topic) and release its state. Its history"
          + " stays: `vigil rollback RULE --to N` brings it back.",
      "",
      "Exit status: 0 done, 1 rejected by the job, 2 a usage or Kafka error, 3 no complete"
          + " acknowledgement within --timeout."
    })
public final class DeleteCommand extends DeployingCommand {

  @Parameters(index = "0", paramLabel = "RULE", description = "The rule id.")
  String rule;

  @Mixin WaitOptions waiting;

  @Override
  int run(Deployer deployer, PrintWriter out, PrintWriter err) {
    return follow(
        deployer,
        List.of(deployer.publish(new Change.DeleteRule(rule))),
        waiting.wait,
        waiting.timeout,
        out);
  }
}
