package io.vigil.console.rules.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.console.ConsoleMvc;
import io.vigil.console.ConsoleTestSupport;
import io.vigil.console.JobAlerts;
import io.vigil.console.PlayedEvents;
import io.vigil.console.RunningJob;
import io.vigil.console.security.Role;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.control.RuleCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.context.WebApplicationContext;

/**
 * A DRL rule set goes through the console's rule lifecycle like a pattern rule: saved as versions,
 * proposed by an analyst, approved and deployed by an admin as the command {@code vigil deploy}
 * publishes for a {@code .drl} file, followed until active on every subtask of the running job
 * (real Kafka, the job on a MiniCluster), and rolled back.
 */
class DecisionRuleSetReleaseTest extends ConsoleTestSupport {

  static String ruleSet(String action) {
    return """
        // vigil: streams maintenance
        // vigil: partition by deviceId
        package console.release;

        rule "maintenance action"
        when
          $m : maintenance( action == "%s" )
        then
          alerts.raise("Maintenance %s")
              .severity("high")
              .message("%s on " + $m.getDeviceId());
        end
        """
        .formatted(action, action, action);
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

  private void awaitRolloutComplete(String id) {
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () ->
                assertThat(viewer.get("/rules/" + id + "/rollout").getContentAsString())
                    .contains("active on " + RunningJob.PARALLELISM + "/" + RunningJob.PARALLELISM)
                    .contains("rollout-complete"));
  }

  /** One event of {@code action} on {@code device}, then one a minute later that moves time on. */
  private static void play(String device, String action) {
    Instant at = RunningJob.get().eventTimeSpan(Duration.ofMinutes(2));
    try (PlayedEvents events = new PlayedEvents()) {
      events.send(
          "maintenance", device, PlayedEvents.maintenance(device + "-e1", device, action, at), at);
      Instant later = at.plusSeconds(60);
      events.send(
          "maintenance",
          device + "-clock",
          PlayedEvents.maintenance(device + "-e2", device + "-clock", "ACK", later),
          later);
    }
  }

  private static void awaitAlert(JobAlerts alerts, String ruleId, String message) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(alerts.matching(a -> a.ruleId().equals(ruleId)))
                    .extracting(Alert::message)
                    .contains(message));
  }

  @Test
  void aDrlRuleSetIsApprovedDeployedActiveOnEverySubtaskRaisesAlertsAndRollsBack()
      throws Exception {
    String id = "drl_release";
    assertThat(
            analyst
                .post("/rules", Map.of("source", ruleSet("FAULT"), "ruleSetId", id))
                .getRedirectedUrl())
        .isEqualTo("/rules/" + id);
    assertThat(viewer.get("/rules/" + id).getContentAsString())
        .contains("DRL rule set (Drools)")
        .contains("DRL rule set on maintenance");
    analyst.post("/rules/" + id + "/propose", Map.of("version", "1"));
    assertThat(
            admin
                .postForFlash("/rules/" + id + "/deploy", Map.of("version", "1"))
                .get("error")
                .toString())
        .contains("not approved");
    assertThat(deployments.refresh().history(id)).as("not approved: nothing published").isEmpty();

    admin.post("/rules/" + id + "/approve", Map.of("version", "1"));
    admin.post("/rules/" + id + "/deploy", Map.of("version", "1"));
    awaitRolloutComplete(id);
    RuleCommand deployed = deployments.refresh().state(id).orElseThrow().deployed().command();
    assertThat(deployed)
        .isInstanceOfSatisfying(
            RuleCommand.UpsertRule.class,
            u -> {
              assertThat(u.language()).isEqualTo(RuleCommand.Language.DRL);
              assertThat(u.source()).isEqualTo(ruleSet("FAULT"));
            });
    long first = deployments.snapshot().history(id).get(0).version();

    try (JobAlerts alerts = new JobAlerts()) {
      play("drl-dev-1", "FAULT");
      awaitAlert(alerts, id, "FAULT on drl-dev-1");

      analyst.post("/rules/" + id, Map.of("source", ruleSet("FIXED")));
      analyst.post("/rules/" + id + "/propose", Map.of("version", "2"));
      admin.post("/rules/" + id + "/approve", Map.of("version", "2"));
      admin.post("/rules/" + id + "/deploy", Map.of("version", "2"));
      awaitRolloutComplete(id);
      play("drl-dev-2", "FIXED");
      awaitAlert(alerts, id, "FIXED on drl-dev-2");

      admin.post("/rules/" + id + "/rollback", Map.of("toVersion", Long.toString(first)));
      awaitRolloutComplete(id);
      assertThat(deployments.refresh().state(id).orElseThrow().deployed().command())
          .isInstanceOfSatisfying(
              RuleCommand.UpsertRule.class,
              u -> {
                assertThat(u.language()).isEqualTo(RuleCommand.Language.DRL);
                assertThat(u.source()).isEqualTo(ruleSet("FAULT"));
              });
      play("drl-dev-3", "FAULT");
      awaitAlert(alerts, id, "FAULT on drl-dev-3");
    }
    assertThat(admin.get("/rules/" + id).getContentAsString())
        .contains("deployed v")
        .contains("Roll back to v" + first);
  }

  @Test
  void aSavedCaseOfADrlRuleSetThatNoLongerPassesBlocksItsDeploy() throws Exception {
    String id = "drl_guarded";
    String events =
        """
        {"stream":"maintenance","event":{"eventId":"m1","deviceId":"d1","action":"FAULT","tech":"t","ts":"2026-11-25T09:00:00Z"}}
        """;
    analyst.post("/rules", Map.of("source", ruleSet("FAULT"), "ruleSetId", id));
    assertThat(
            analyst
                .postForFlash(
                    "/rules/" + id + "/tests", Map.of("name", "a fault", "events", events))
                .get("notice")
                .toString())
        .contains("expecting 1 alert(s)");
    analyst.post("/rules/" + id, Map.of("source", ruleSet("FIXED")));
    analyst.post("/rules/" + id + "/propose", Map.of("version", "2"));
    admin.post("/rules/" + id + "/approve", Map.of("version", "2"));

    assertThat(
            admin
                .postForFlash("/rules/" + id + "/deploy", Map.of("version", "2"))
                .get("error")
                .toString())
        .contains("test case \"a fault\" fails: expected 1 alert(s), got 0");
    assertThat(deployments.refresh().history(id)).isEmpty();
  }

  @Test
  void aNewDrlRuleSetNeedsAnIdAndARuleKeepsItsLanguage() throws Exception {
    assertThat(
            analyst
                .post("/rules", Map.of("source", ruleSet("FAULT"), "ruleSetId", "1 bad"))
                .getContentAsString())
        .contains("A DRL rule set needs an id");
    analyst.post("/rules", Map.of("source", ruleSet("FAULT"), "ruleSetId", "drl_language"));
    assertThat(
            analyst
                .post(
                    "/rules/drl_language",
                    Map.of("source", DeployFlowTest.rule("drl_language", "FIXED")))
                .getContentAsString())
        .contains("This is a DRL rule set");
    assertThat(
            analyst
                .post("/rules/drl_language", Map.of("source", ruleSet("FIXED")))
                .getRedirectedUrl())
        .isEqualTo("/rules/drl_language");
  }
}
