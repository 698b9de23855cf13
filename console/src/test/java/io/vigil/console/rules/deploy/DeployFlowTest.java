package io.vigil.console.rules.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.console.ConsoleMvc;
import io.vigil.console.ConsoleTestSupport;
import io.vigil.console.RunningJob;
import io.vigil.console.security.Role;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.context.WebApplicationContext;

/**
 * Deploying from the console to a running Vigil job (real Kafka, the job on a MiniCluster), through
 * the pages, with four-eyes review on: the gates hold and the page follows the acknowledgements.
 */
class DeployFlowTest extends ConsoleTestSupport {

  static String rule(String id, String action) {
    return """
        rule %s
          severity high
          partition by deviceId
          pattern
            f: maintenance(action == "FAULT")
            then x: maintenance(action == "%s")
          within 1h
          alert "%s {deviceId}"
        """
        .formatted(id, action, action);
  }

  @Autowired WebApplicationContext context;
  @Autowired Deployments deployments;
  ConsoleMvc analyst;
  ConsoleMvc admin;
  ConsoleMvc viewer;

  @BeforeAll
  static void job() {
    RunningJob.get();
  }

  @BeforeEach
  void users() {
    analyst = ConsoleMvc.as(context, "analyst", Role.ANALYST);
    admin = ConsoleMvc.as(context, "admin", Role.ADMIN);
    viewer = ConsoleMvc.as(context, "viewer", Role.VIEWER);
  }

  private String rollout(String id) throws Exception {
    return viewer.get("/rules/" + id + "/rollout").getContentAsString();
  }

  private int published(String id) {
    return deployments.refresh().history(id).size();
  }

  @Test
  void anApprovedVersionIsDeployedAndThePageFollowsItUntilActiveOnEverySubtask() throws Exception {
    analyst.post("/rules", Map.of("source", rule("deployed_rule", "FIXED")));
    analyst.post("/rules/deployed_rule/propose", Map.of("version", "1"));
    admin.post("/rules/deployed_rule/deploy", Map.of("version", "1"));
    assertThat(published("deployed_rule")).as("not approved yet: nothing published").isZero();

    admin.post("/rules/deployed_rule/approve", Map.of("version", "1"));
    admin.post("/rules/deployed_rule/deploy", Map.of("version", "1"));
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () ->
                assertThat(rollout("deployed_rule"))
                    .contains("active on " + RunningJob.PARALLELISM + "/" + RunningJob.PARALLELISM)
                    .contains("rollout-complete"));
    deployments.refresh();
    assertThat(admin.get("/rules/deployed_rule").getContentAsString())
        .contains("deployed v")
        .contains("Roll back to v");
    assertThat(viewer.get("/rules/deployed_rule").getContentAsString())
        .contains("deployed v")
        .doesNotContain("Roll back to v");

    analyst.post("/rules/deployed_rule", Map.of("source", rule("deployed_rule", "REPLACED")));
    analyst.post("/rules/deployed_rule/propose", Map.of("version", "2"));
    admin.post("/rules/deployed_rule/approve", Map.of("version", "2"));
    admin.post("/rules/deployed_rule/deploy", Map.of("version", "2"));
    long first = deployments.refresh().history("deployed_rule").get(0).version();
    admin.post("/rules/deployed_rule/rollback", Map.of("toVersion", Long.toString(first)));
    assertThat(deployments.refresh().state("deployed_rule").orElseThrow().deployed().source())
        .hasValue(rule("deployed_rule", "FIXED"));
  }

  @Test
  void aVersionThatDoesNotCompileCannotBeDeployedEvenByPostingDirectly() throws Exception {
    analyst.post("/rules", Map.of("source", rule("invalid_deploy", "FIXED")));
    analyst.post(
        "/rules/invalid_deploy",
        Map.of("source", rule("invalid_deploy", "FIXED").replace("action ==", "actoin ==")));
    analyst.post("/rules/invalid_deploy/propose", Map.of("version", "2"));
    admin.post("/rules/invalid_deploy/approve", Map.of("version", "2"));
    admin.post("/rules/invalid_deploy/deploy", Map.of("version", "2"));
    assertThat(published("invalid_deploy")).isZero();
  }

  @Test
  void aSavedTestCaseThatNoLongerPassesBlocksTheDeploy() throws Exception {
    String events =
        """
        {"stream":"maintenance","event":{"eventId":"m1","deviceId":"d1","action":"FAULT","tech":"t","ts":"2026-11-25T09:00:00Z"}}
        {"stream":"maintenance","event":{"eventId":"m2","deviceId":"d1","action":"FIXED","tech":"t","ts":"2026-11-25T09:01:00Z"}}
        """;
    analyst.post("/rules", Map.of("source", rule("guarded_by_case", "FIXED")));
    analyst.post("/rules/guarded_by_case/tests", Map.of("name", "fault fixed", "events", events));
    analyst.post("/rules/guarded_by_case", Map.of("source", rule("guarded_by_case", "REPLACED")));
    analyst.post("/rules/guarded_by_case/propose", Map.of("version", "2"));
    admin.post("/rules/guarded_by_case/approve", Map.of("version", "2"));
    admin.post("/rules/guarded_by_case/deploy", Map.of("version", "2"));
    assertThat(published("guarded_by_case")).isZero();
  }

  @Test
  void aViewerAndAnAnalystCannotDeployByPostingDirectly() throws Exception {
    analyst.post("/rules", Map.of("source", rule("not_theirs", "FIXED")));
    assertThat(viewer.post("/rules/not_theirs/deploy", Map.of("version", "1")).getStatus())
        .isEqualTo(403);
    assertThat(analyst.post("/rules/not_theirs/deploy", Map.of("version", "1")).getStatus())
        .isEqualTo(403);
    assertThat(published("not_theirs")).isZero();
  }

  @Test
  void disablingAndDeletingADeployedRuleAskFirstAndOnlyTheConfirmationActs() throws Exception {
    analyst.post("/rules", Map.of("source", rule("removed_rule", "FIXED")));
    analyst.post("/rules/removed_rule/propose", Map.of("version", "1"));
    admin.post("/rules/removed_rule/approve", Map.of("version", "1"));
    admin.post("/rules/removed_rule/deploy", Map.of("version", "1"));
    assertThat(published("removed_rule")).isEqualTo(1);
    assertThat(admin.get("/rules/removed_rule").getContentAsString())
        .contains("href=\"/rules/removed_rule/disable\"")
        .doesNotContain("action=\"/rules/removed_rule/disable\"");

    var unconfirmed = admin.post("/rules/removed_rule/disable", Map.of());
    assertThat(unconfirmed.getRedirectedUrl()).isEqualTo("/rules/removed_rule/disable");
    assertThat(admin.post("/rules/removed_rule/delete", Map.of("confirm", "no")).getRedirectedUrl())
        .isEqualTo("/rules/removed_rule/delete");
    assertThat(published("removed_rule")).as("nothing published without confirmation").isEqualTo(1);
    assertThat(admin.get("/rules/removed_rule/disable").getContentAsString())
        .contains("Disable rule removed_rule?")
        .contains("partial matches are lost")
        .contains("name=\"confirm\" value=\"yes\"");

    admin.post("/rules/removed_rule/disable", Map.of("confirm", "yes"));
    assertThat(deployments.refresh().history("removed_rule"))
        .last()
        .extracting(v -> v.command())
        .isInstanceOf(io.vigil.runtime.control.RuleCommand.DisableRule.class);
    assertThat(admin.get("/rules/removed_rule/delete").getContentAsString())
        .contains("Delete from the job rule removed_rule?")
        .contains("forgets the rule");
    admin.post("/rules/removed_rule/delete", Map.of("confirm", "yes"));
    assertThat(deployments.refresh().history("removed_rule"))
        .last()
        .extracting(v -> v.command())
        .isInstanceOf(io.vigil.runtime.control.RuleCommand.DeleteRule.class);
    assertThat(viewer.get("/rules/removed_rule/delete").getStatus()).isEqualTo(403);
    assertThat(analyst.post("/rules/removed_rule/delete", Map.of("confirm", "yes")).getStatus())
        .isEqualTo(403);
  }
}
