package io.vigil.console.rules.deploy;

import io.vigil.console.audit.AuditLog;
import io.vigil.console.rules.RuleVersions;
import io.vigil.console.rules.check.CheckReport;
import io.vigil.console.rules.check.RuleCheck;
import io.vigil.console.rules.review.Reviews;
import io.vigil.console.rules.testing.CaseOutcome;
import io.vigil.console.rules.testing.TestCases;
import io.vigil.console.store.RedisJson;
import io.vigil.console.store.Version;
import io.vigil.console.streams.StreamDeclarations;
import io.vigil.runtime.deploy.Change;
import io.vigil.runtime.deploy.Publication;
import io.vigil.runtime.deploy.RuleVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Deploy, roll back, disable and delete a rule or DRL rule set through {@link Deployments}, after
 * the console's own gates: a version is deployed only when it compiles, when review allows it
 * (four-eyes) and when every saved test case still passes. Every action is audited and its rollout
 * remembered.
 */
@Component
public class Releases {

  private final RuleVersions versions;
  private final RuleCheck check;
  private final Reviews reviews;
  private final TestCases testCases;
  private final StreamDeclarations streams;
  private final Deployments deployments;
  private final AuditLog audit;
  private final RedisJson store;

  public Releases(
      RuleVersions versions,
      RuleCheck check,
      Reviews reviews,
      TestCases testCases,
      StreamDeclarations streams,
      Deployments deployments,
      AuditLog audit,
      RedisJson store) {
    this.versions = versions;
    this.check = check;
    this.reviews = reviews;
    this.testCases = testCases;
    this.streams = streams;
    this.deployments = deployments;
    this.audit = audit;
    this.store = store;
  }

  /** Deploys version {@code number} of a rule with the streams it reads. */
  public Publication deploy(String ruleId, int number, String actor) {
    Version version =
        versions
            .version(ruleId, number)
            .orElseThrow(
                () ->
                    new DeployBlockedException(List.of("no version " + number + " of " + ruleId)));
    List<String> blockers = new ArrayList<>();
    CheckReport report = check.check(version.source());
    if (report.hasErrors()) {
      blockers.add(
          "version " + number + " does not compile (" + report.errorCount() + " error(s))");
    }
    if (!reviews.cleared(ruleId, number)) {
      blockers.add("four-eyes review: version " + number + " is not approved by another admin");
    }
    if (!report.hasErrors()) {
      for (CaseOutcome outcome : testCases.runAll(ruleId, streams.sources(), version.source())) {
        if (!outcome.passed()) {
          blockers.add("test case \"" + outcome.name() + "\" fails" + problem(outcome));
        }
      }
    }
    if (!blockers.isEmpty()) {
      throw new DeployBlockedException(blockers);
    }
    List<Change> changes = new ArrayList<>();
    for (String stream : report.streams()) {
      streams
          .latest(stream)
          .ifPresent(s -> changes.add(new Change.DeclareStream(stream, s.source())));
    }
    // A DRL rule set goes as `vigil deploy` sends a .drl file: its text, language drl.
    changes.add(
        new Change.UpsertRule(
            ruleId, version.source(), false, RuleCheck.languageOf(version.source())));
    List<Publication> published = deployments.publish(changes);
    Publication publication = published.get(published.size() - 1);
    remember(ruleId, publication, number, "deploy");
    audit.record(
        actor,
        "deploy v" + number + " as control version " + publication.version(),
        ruleId,
        deployedSource(ruleId, publication).orElse(""),
        version.source());
    return publication;
  }

  public Publication rollback(String ruleId, long toVersion, String actor) {
    Publication publication =
        deployments.publish(List.of(new Change.Rollback(ruleId, toVersion))).get(0);
    remember(ruleId, publication, 0, "rollback to v" + toVersion);
    audit.record(
        actor,
        "roll back to control version " + toVersion + " (now " + publication.version() + ")",
        ruleId,
        "",
        "");
    return publication;
  }

  public Publication disable(String ruleId, String actor) {
    Publication publication = deployments.publish(List.of(new Change.DisableRule(ruleId))).get(0);
    remember(ruleId, publication, 0, "disable");
    audit.record(actor, "disable", ruleId, "", "");
    return publication;
  }

  public Publication delete(String ruleId, String actor) {
    Publication publication = deployments.publish(List.of(new Change.DeleteRule(ruleId))).get(0);
    remember(ruleId, publication, 0, "delete");
    audit.record(actor, "delete from the job", ruleId, "", "");
    return publication;
  }

  /** The rollout last started from the console for this rule. */
  public Optional<RolloutRef> lastRollout(String ruleId) {
    return store.get(store.key("rule", ruleId, "rollout"), RolloutRef.class);
  }

  /** Which console version a control-topic version of the rule was deployed from. */
  public Optional<Integer> draftOf(String ruleId, long controlVersion) {
    Object number =
        store
            .redis()
            .opsForHash()
            .get(store.key("rule", ruleId, "deployed-from"), Long.toString(controlVersion));
    return Optional.ofNullable(number).map(n -> Integer.parseInt(n.toString()));
  }

  private void remember(String ruleId, Publication publication, int draft, String action) {
    store.set(
        store.key("rule", ruleId, "rollout"), RolloutRef.of(publication.rollout(), draft, action));
    if (draft > 0) {
      store
          .redis()
          .opsForHash()
          .put(
              store.key("rule", ruleId, "deployed-from"),
              Long.toString(publication.version()),
              Integer.toString(draft));
    }
  }

  private Optional<String> deployedSource(String ruleId, Publication current) {
    return deployments.snapshot().history(ruleId).stream()
        .filter(v -> v.version() < current.version())
        .reduce((a, b) -> b)
        .flatMap(RuleVersion::source);
  }

  private static String problem(CaseOutcome outcome) {
    return outcome.problem().isEmpty()
        ? ": expected " + outcome.expected().size() + " alert(s), got " + outcome.actual().size()
        : ": " + outcome.problem();
  }
}
