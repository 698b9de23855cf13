package io.vigil.runtime.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * DRL decision rule sets through the live job (in-JVM KRaft broker, Flink MiniCluster), beside a
 * pattern rule: deployed, updated, rejected and deleted over the control topic like any rule.
 */
class DecisionRulesEndToEndTest {

  @RegisterExtension static final MiniClusterExtension FLINK = JobFixture.miniCluster();

  @TempDir Path checkpoints;

  private JobFixture fixture;

  @BeforeEach
  void start() {
    fixture = JobFixture.onOwnBroker(checkpoints);
  }

  @AfterEach
  void stop() throws Exception {
    fixture.close();
  }

  static String escalation(String prefix) {
    return """
        // vigil: streams maintenance
        // vigil: partition by deviceId
        package ops.escalation;

        rule "fault pages on-call"
        when
          $m : maintenance( action == "FAULT" )
        then
          alerts.raise("Fault")
              .severity("high")
              .message("%s fault on " + $m.getDeviceId())
              .tags("ops")
              .owner("on-call")
              .key("page");
        end

        rule "fault by an unknown tech opens a ticket"
        when
          $m : maintenance( action == "FAULT", tech == "nobody" )
        then
          alerts.raise("Ticket").message("%s ticket for " + $m.getDeviceId()).key("ticket");
        end
        """
        .formatted(prefix, prefix);
  }

  static RuleCommand.UpsertRule drl(long version, String source) {
    return new RuleCommand.UpsertRule(
        "escalation", version, source, Long.MIN_VALUE, false, RuleCommand.Language.DRL);
  }

  private void fault(String id, String device, String tech, int seconds) {
    fixture.kafka.send(
        "vigil.events.maintenance",
        device,
        JobFixture.json(id, device, "FAULT", tech, fixture.time(seconds)));
  }

  private List<String> escalations() {
    return fixture.alerts("escalation").stream()
        .map(a -> a.ruleVersion() + " " + a.severity() + " " + a.key() + " " + a.message())
        .toList();
  }

  @Test
  void aDrlRuleSetIsDeployedUpdatedRejectedAndDeletedBesideAPatternRule() throws Exception {
    JobFixture f = fixture;
    f.publish(new RuleCommand.DeclareStream("maintenance", 1, JobFixture.STREAM));
    f.start("", UnaryOperator.identity());
    f.publish(JobFixture.upsert("canary", 1, JobFixture.CANARY));
    f.publish(drl(1, escalation("v1")));
    f.awaitStatus("canary", 1, RuleStatus.State.ACTIVE);
    f.awaitStatus("escalation", 1, RuleStatus.State.ACTIVE);

    // One event, two DRL rules fire: two alerts of the pattern rules' shape, distinct ids.
    fault("e1", "d1", "nobody", 0);
    f.barrier("d1", 10);
    fault("e2", "d2", "alice", 20);
    f.barrier("d2", 30);
    assertThat(escalations())
        .containsExactlyInAnyOrder(
            "1 high {deviceId=d1} v1 fault on d1",
            "1 medium {deviceId=d1} v1 ticket for d1",
            "1 high {deviceId=d2} v1 fault on d2");
    List<Alert> d1 =
        f.alerts("escalation").stream().filter(a -> a.key().get("deviceId").equals("d1")).toList();
    assertThat(d1).extracting(Alert::alertId).doesNotHaveDuplicates();
    Alert page = d1.stream().filter(a -> a.title().equals("Fault")).findFirst().orElseThrow();
    assertThat(page.owner()).contains("on-call");
    assertThat(page.tags()).containsExactly("ops");
    assertThat(page.kind()).isEqualTo(Alert.Kind.MATCH);
    assertThat(page.startTime()).isEqualTo(f.time(0));
    assertThat(page.events().get("event"))
        .singleElement()
        .satisfies(e -> assertThat(e).containsEntry("eventId", "e1"));

    // Version 2 replaces it on every subtask.
    f.publish(drl(2, escalation("v2")));
    f.awaitStatus("escalation", 2, RuleStatus.State.ACTIVE);
    fault("e3", "d3", "alice", 40);
    f.barrier("d3", 50);
    assertThat(escalations()).contains("2 high {deviceId=d3} v2 fault on d3").hasSize(4);

    // Version 3 does not compile: rejected with the diagnostic, version 2 keeps running.
    f.publish(drl(3, escalation("v3").replace("action == \"FAULT\" )", "acton == \"FAULT\" )")));
    f.awaitStatus("escalation", 3, RuleStatus.State.REJECTED);
    assertThat(f.statuses())
        .filteredOn(s -> s.ruleId().equals("escalation") && s.version() == 3)
        .first()
        .satisfies(
            s ->
                assertThat(s.message())
                    .contains("escalation.drl:7:21: error: stream maintenance has no field 'acton'")
                    .contains("did you mean `action`?"));
    fault("e4", "d4", "alice", 60);
    f.barrier("d4", 70);
    assertThat(escalations()).contains("2 high {deviceId=d4} v2 fault on d4").hasSize(5);

    // Deleted: no more alerts, the pattern rule keeps working (the barrier is its alert).
    f.publish(new RuleCommand.DeleteRule("escalation"));
    f.awaitStatus("escalation", 2, RuleStatus.State.DELETED);
    fault("e5", "d5", "nobody", 80);
    f.barrier("d5", 90);
    assertThat(escalations()).hasSize(5);
  }
}
