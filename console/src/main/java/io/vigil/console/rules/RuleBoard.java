package io.vigil.console.rules;

import io.vigil.console.alerts.AlertReader;
import io.vigil.console.rules.deploy.DeploymentSnapshot;
import io.vigil.console.rules.deploy.Deployments;
import io.vigil.console.rules.review.Reviews;
import io.vigil.console.store.Version;
import io.vigil.console.web.Times;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.deploy.RuleState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Where every rule stands: its latest version, its review and its deployment. */
@Component
public class RuleBoard {

  private final RuleVersions versions;
  private final Reviews reviews;
  private final Deployments deployments;
  private final AlertReader alerts;
  private final Times times;

  public RuleBoard(
      RuleVersions versions,
      Reviews reviews,
      Deployments deployments,
      AlertReader alerts,
      Times times) {
    this.versions = versions;
    this.reviews = reviews;
    this.deployments = deployments;
    this.alerts = alerts;
    this.times = times;
  }

  public List<RuleSummary> summaries() {
    List<RuleSummary> out = new ArrayList<>();
    for (String id : versions.ids()) {
      versions.latest(id).ifPresent(latest -> out.add(summary(id, latest)));
    }
    return out;
  }

  public RuleSummary summary(String id, Version latest) {
    return RuleSummary.of(
        id,
        latest,
        reviews.current(id),
        deploymentLabel(id),
        alerts.lastAlert(id).map(times::format).orElse(""),
        alerts.lastHour(id));
  }

  /** The source deployed for {@code id}, when one is. */
  public Optional<String> deployedSource(String id) {
    return deployments
        .snapshot()
        .state(id)
        .filter(s -> s.deployed().command() instanceof RuleCommand.UpsertRule)
        .flatMap(s -> s.deployed().source());
  }

  /**
   * "deployed v3 active on 2/2 subtasks", "rejected v4: …", "disabled v5", "deleted", "not
   * deployed", or "unknown" while the console cannot read Kafka.
   */
  String deploymentLabel(String id) {
    DeploymentSnapshot snapshot = deployments.snapshot();
    Optional<RuleState> state = snapshot.state(id);
    if (state.isEmpty()) {
      return snapshot.readAt().isEmpty()
          ? "unknown (what is deployed was not read yet)"
          : "not deployed";
    }
    RuleState s = state.get();
    long version = s.rollout().rollout().version();
    String flagged =
        s.rollout().flaggedSubtasks() > 0
            ? " · flagged by the partial-match cap on "
                + s.rollout().flaggedSubtasks()
                + " subtask(s)"
            : "";
    if (s.rollout().rejection().isPresent()) {
      return "rejected v" + version + ": " + s.rollout().rejection().get().strip();
    }
    RuleCommand command = s.deployed().command();
    if (command instanceof RuleCommand.DisableRule) {
      return "disabled v" + version;
    }
    if (command instanceof RuleCommand.DeleteRule) {
      return "deleted";
    }
    return "deployed " + s.summary().substring(id.length() + 1) + flagged;
  }

  /** The summaries that match the query, severity and state filters (empty filter: all). */
  public static List<RuleSummary> filter(
      List<RuleSummary> all, String query, String severity, String state) {
    return all.stream()
        .filter(r -> r.matches(query))
        .filter(r -> severity.isBlank() || r.severity().equalsIgnoreCase(severity))
        .filter(
            r ->
                state.isBlank() || r.review().startsWith(state) || r.deployment().startsWith(state))
        .toList();
  }
}
