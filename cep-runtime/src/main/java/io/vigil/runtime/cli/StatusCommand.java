package io.vigil.runtime.cli;

import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import io.vigil.runtime.deploy.Deployer;
import io.vigil.runtime.deploy.RolloutStatus;
import io.vigil.runtime.deploy.RuleState;
import io.vigil.runtime.deploy.RuleVersion;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vigil status [RULE]}: what is deployed and what the job made of it. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show every deployed stream and rule with its version and the job's acknowledgements"
          + " (\"active 2/2\": active on 2 of 2 matcher subtasks), or one rule in detail: each"
          + " subtask's answer and the rule's versions.",
      "",
      "Exit status: 0, 1 when RULE was never deployed, 2 a usage or Kafka error."
    })
public final class StatusCommand extends DeployingCommand {

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "RULE",
      description = "A rule id, or stream:<name>.")
  String rule;

  @Override
  int run(Deployer deployer, PrintWriter out, PrintWriter err) {
    if (rule == null) {
      table(deployer.status(), out);
      return OK;
    }
    Optional<RuleState> state = deployer.status(rule);
    List<RuleVersion> history = deployer.history(rule);
    if (state.isEmpty() && history.isEmpty()) {
      err.println("vigil status: " + rule + " was never deployed");
      return REJECTED;
    }
    state.ifPresent(s -> detail(s, out));
    if (!history.isEmpty()) {
      out.println("versions:");
      for (RuleVersion v : history) {
        out.printf("  v%-4d %s  %s%n", v.version(), v.publishedAt(), kind(v.command()));
      }
    }
    return OK;
  }

  static void table(List<RuleState> states, PrintWriter out) {
    int width = Math.max(4, states.stream().mapToInt(s -> s.key().length()).max().orElse(4));
    String format = "%-" + width + "s  %-7s  %-9s  %-8s  %s%n";
    out.printf(format, "RULE", "VERSION", "STATE", "SUBTASKS", "MESSAGE");
    for (RuleState s : states) {
      RolloutStatus r = s.rollout();
      String state =
          r.progress() == RolloutStatus.Progress.REJECTED
              ? "rejected"
              : r.rollout().expected().name().toLowerCase(Locale.ROOT)
                  + (r.flaggedSubtasks() > 0 ? "!" : "");
      String subtasks = r.parallelism() == 0 ? "-" : r.doneSubtasks() + "/" + r.parallelism();
      out.printf(format, s.key(), "v" + r.rollout().version(), state, subtasks, message(s));
    }
  }

  /** The job's latest word on the rule, on one line; what still runs when this version does not. */
  private static String message(RuleState s) {
    RolloutStatus r = s.rollout();
    String message =
        r.rejection()
            .orElseGet(
                () ->
                    r.statuses().isEmpty()
                        ? "no acknowledgement from the job"
                        : r.statuses().get(r.statuses().size() - 1).message());
    String line = message.strip().lines().findFirst().orElse("");
    return line
        + s.previous()
            .filter(p -> p.rollout().expected() == RuleStatus.State.ACTIVE)
            .map(
                p ->
                    " (v"
                        + p.rollout().version()
                        + " active on "
                        + p.doneSubtasks()
                        + "/"
                        + p.parallelism()
                        + ")")
            .orElse("");
  }

  private static void detail(RuleState s, PrintWriter out) {
    out.println(s.summary());
    out.printf("published %s%n", s.deployed().publishedAt());
    for (Map.Entry<Integer, RuleStatus> e : s.rollout().bySubtask().entrySet()) {
      out.printf(
          "  subtask %d: %s  %s%n",
          e.getKey(), e.getValue().state(), e.getValue().message().strip());
    }
    s.rollout().rejection().ifPresent(m -> out.println(m.strip()));
  }

  private static String kind(RuleCommand command) {
    if (command instanceof RuleCommand.UpsertRule) {
      return "upsert";
    } else if (command instanceof RuleCommand.DeclareStream) {
      return "stream declaration";
    } else if (command instanceof RuleCommand.DisableRule) {
      return "disable";
    }
    return "delete";
  }
}
