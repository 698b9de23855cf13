package io.vigil.runtime.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stateful DRL rule sets (a Drools Fusion session per key on event time) through the live job on
 * Kafka: a temporal rule across a restore from a checkpoint, and a decision rule set that escalates
 * the alerts of a pattern rule.
 *
 * <p>Each rule set also alerts on TICK events ("session tick"): once that alert is visible (read
 * committed), every earlier event of the device has gone through the session and its alerts are
 * committed (one key, one subtask, in order).
 */
class StatefulDecisionRulesEndToEndTest {

  @RegisterExtension static final MiniClusterExtension FLINK = JobFixture.miniCluster();

  @TempDir Path checkpoints;

  private JobFixture fixture;
  private int ticks;

  @BeforeEach
  void start() {
    fixture = JobFixture.onOwnBroker(checkpoints);
  }

  @AfterEach
  void stop() throws Exception {
    fixture.close();
  }

  static final String TICK_RULE =
      """

      rule "tick"
      when
        $t : maintenance( action == "TICK" )
      then
        alerts.raise("tick").message("session tick " + $t.getEventId()).key("tick");
      end
      """;

  static final String REPEATED_FAULT =
      """
      // vigil: streams maintenance
      // vigil: partition by deviceId
      // vigil: expire after 10m
      package ops.repeat;

      rule "second fault within 10 minutes"
      when
        $a : maintenance( action == "FAULT" )
        $b : maintenance( action == "FAULT", this after[1ms,10m] $a )
      then
        alerts.raise("Repeated fault")
            .severity("high")
            .message("faults " + $a.getEventId() + " and " + $b.getEventId())
            .key($a.getEventId());
      end
      """
          + TICK_RULE;

  static RuleCommand.UpsertRule drl(String id, long version, String source) {
    return new RuleCommand.UpsertRule(
        id, version, source, Long.MIN_VALUE, false, RuleCommand.Language.DRL);
  }

  private void send(String id, String device, String action, String tech, int seconds) {
    fixture.kafka.send(
        "vigil.events.maintenance",
        device,
        JobFixture.json(id, device, action, tech, fixture.time(seconds)));
  }

  /** A TICK of {@code device} and a filler after it; waits for the rule set's tick alert. */
  private void sessionBarrier(String ruleId, String device, int seconds) {
    String id = "tick-" + ticks++;
    send(id, device, "TICK", "t", seconds);
    send("filler-" + id, device, "NOOP", "t", seconds + 5);
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                fixture.alerts(ruleId).stream()
                    .anyMatch(a -> a.message().equals("session tick " + id)));
  }

  private List<String> messages(String ruleId, String title) {
    return fixture.alerts(ruleId).stream()
        .filter(a -> a.title().startsWith(title))
        .map(a -> a.severity() + " " + a.key() + " " + a.message())
        .toList();
  }

  @Test
  void aTemporalRuleFiresAcrossARestoreFromACheckpointWithTheFactsItKept() throws Exception {
    JobFixture f = fixture;
    f.publish(new RuleCommand.DeclareStream("maintenance", 1, JobFixture.STREAM));
    f.start("", UnaryOperator.identity());
    f.publish(drl("repeated", 1, REPEATED_FAULT));
    f.awaitStatus("repeated", 1, RuleStatus.State.ACTIVE);

    send("e1", "d1", "FAULT", "alice", 0);
    send("x1", "d2", "FAULT", "alice", 0);
    // Visible once the checkpoint holding the session's facts has completed (exactly-once alerts).
    sessionBarrier("repeated", "d1", 10);
    assertThat(messages("repeated", "Repeated")).isEmpty();

    Path checkpoint = f.cancel();
    f.start(checkpoint.toString(), UnaryOperator.identity());

    // Within 10 minutes of e1: the restored session still holds it.
    send("e2", "d1", "FAULT", "bob", 60);
    // Eleven minutes after x1: it expired, nothing fires for d2.
    send("x2", "d2", "FAULT", "bob", 660);
    sessionBarrier("repeated", "d1", 700);
    sessionBarrier("repeated", "d2", 710);
    assertThat(messages("repeated", "Repeated"))
        .containsExactly("high {deviceId=d1} faults e1 and e2");
  }

  @Test
  void aDecisionRuleSetEscalatesTheAlertOfAPatternRuleReferencingIt() throws Exception {
    JobFixture f = fixture;
    f.publish(new RuleCommand.DeclareStream("maintenance", 1, JobFixture.STREAM));
    f.start("", UnaryOperator.identity());
    f.publish(
        JobFixture.upsert(
            "repeated_fault",
            1,
            """
            rule repeated_fault
              severity high
              from maintenance
              partition by deviceId
              pattern
                a: action == "FAULT"
                then b: action == "FAULT"
              within 1h
              alert "Repeated fault on {deviceId}"
            """));
    f.publish(
        drl(
            "escalation",
            1,
            """
            // vigil: streams maintenance
            // vigil: partition by deviceId
            // vigil: expire after 1h
            // vigil: alerts of repeated_fault
            package ops.escalation;

            rule "a repeated fault after an unknown tech worked on it is critical"
            when
              $m : maintenance( tech == "nobody" )
              $a : PatternAlert( ruleId == "repeated_fault" )
            then
              alerts.raise("Escalated: " + $a.getTitle())
                  .severity("critical")
                  .references($a)
                  .message($a.getMessage() + " after " + $m.getEventId())
                  .key($a.getAlertId());
            end
            """
                + TICK_RULE));
    f.awaitStatus("repeated_fault", 1, RuleStatus.State.ACTIVE);
    f.awaitStatus("escalation", 1, RuleStatus.State.ACTIVE);

    send("e1", "d1", "FAULT", "alice", 0);
    send("e2", "d1", "FAULT", "nobody", 10);
    send("x1", "d2", "FAULT", "alice", 0);
    send("x2", "d2", "FAULT", "alice", 10);
    sessionBarrier("escalation", "d1", 30);
    sessionBarrier("escalation", "d2", 40);

    // The pattern rule's alerts come through other sink subtasks, committed on their own.
    await().atMost(Duration.ofSeconds(60)).until(() -> f.alerts("repeated_fault").size() == 2);
    List<Alert> original = f.alerts("repeated_fault");
    assertThat(original).extracting(a -> a.key().get("deviceId")).containsOnly("d1", "d2");
    Alert d1 =
        original.stream().filter(a -> a.key().get("deviceId").equals("d1")).findFirst().get();
    List<Alert> escalated =
        f.alerts("escalation").stream().filter(a -> a.title().startsWith("Escalated")).toList();
    assertThat(escalated)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.severity()).isEqualTo("critical");
              assertThat(a.title()).isEqualTo("Escalated: repeated_fault");
              assertThat(a.message()).isEqualTo("Repeated fault on d1 after e2");
              assertThat(a.key()).containsEntry("deviceId", "d1");
              assertThat(a.tags()).containsExactly("references:" + d1.alertId());
              // The fact that was evaluated: the pattern rule's alert, as the rule set sees it.
              assertThat(a.events().get("event"))
                  .singleElement()
                  .satisfies(e -> assertThat(e).containsEntry("alertId", d1.alertId()));
            });
  }
}
