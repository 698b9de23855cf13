package io.vigil.runtime.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import io.vigil.testing.kafka.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile events and hostile rules published on Kafka to the running job (MiniCluster, in-JVM
 * broker): each event is dead-lettered with its reason or evaluated, each rule is REJECTED with its
 * reason, the other keys and rules keep their alerts, and the job runs its first attempt
 * throughout.
 */
class HostileInputEndToEndTest {

  @RegisterExtension static final MiniClusterExtension FLINK = JobFixture.miniCluster();

  @TempDir Path checkpoints;

  static final String PAYMENTS =
      """
      stream payments
        time ts
        lateness 1s
        fields
          eventId: string
          cardId: string
          merchant: string
          amount: decimal
          ts: timestamp
      """;

  static final String PAYMENT_CANARY =
      """
      rule pay_canary
        severity low
        from payments
        partition by cardId
        pattern
          t: merchant == "TICK"
        alert "tick {t.eventId}"
      """;

  static final String TWO_BIG =
      """
      rule two_big
        severity high
        from payments
        partition by cardId
        pattern
          a: amount > 100
          then b: amount > 100
        within 1h
        skip past last event
        alert "two big on {cardId}: {a.amount} then {b.amount}"
      """;

  /** The regular expression that takes exponential time on a backtracking engine. */
  static final String REDOS =
      """
      rule redos
        severity low
        from payments
        partition by cardId
        pattern
          m: merchant matches "(.*a){25}"
        alert "redos {m.eventId}"
      """;

  @Test
  void hostileEventsAreDeadLetteredOrEvaluatedWhileOtherKeysKeepTheirAlerts(
      @InjectMiniCluster MiniCluster cluster) throws Exception {
    try (KafkaBroker kafka = JobFixture.broker();
        JobFixture f =
            new JobFixture(
                kafka,
                checkpoints,
                Map.of("events.max-ahead-of-watermark", "1h", "events.max-ahead-of-clock", "1d"))) {
      kafka.createTopics("vigil.events.payments");
      f.publish(new RuleCommand.DeclareStream("payments", 1, PAYMENTS));
      f.publish(JobFixture.upsert("pay_canary", 1, PAYMENT_CANARY));
      f.publish(JobFixture.upsert("two_big", 1, TWO_BIG));
      f.publish(JobFixture.upsert("redos", 1, REDOS));
      f.start("", UnaryOperator.identity());
      Payments p = new Payments(kafka, f);
      p.barrier("c0", 0);
      JobID job = f.jobId();

      String aaa = "a".repeat(40);
      long tenYears = f.time(0) + Duration.ofDays(3650).toMillis();
      kafka.sendAll(
          List.of(
              // c1 gets every hostile event, between two big payments that must still pair up.
              p.record("c1", "big1", "shop", "500", f.time(10)),
              p.record("c1", "redos-slow", aaa + "!", "1", f.time(11)),
              p.record("c1", "redos-hit", aaa, "1", f.time(12)),
              p.record("c1", "far", "shop", "1", tenYears),
              p.raw("c1", p.json("exp", "c1", "shop", "1e999999999", f.time(13))),
              p.raw("c1", p.json("digits", "c1", "shop", "9".repeat(10_000), f.time(13))),
              p.record("c1", "long", "x".repeat(20_000), "1", f.time(14)),
              p.raw(
                  "c1",
                  p.json("nested", "c1", "shop", "1", f.time(14))
                      .replace("}", ",\"extra\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}")),
              p.record("c1", "big2", "shop", "700", f.time(15)),
              // c2 sees only ordinary events.
              p.record("c2", "big3", "shop", "200", f.time(16)),
              p.record("c2", "big4", "shop", "300", f.time(17))));
      p.barrier("c1", 30);
      p.barrier("c2", 40);

      assertThat(f.alerts("two_big"))
          .extracting(Alert::message)
          .containsExactlyInAnyOrder("two big on c1: 500 then 700", "two big on c2: 200 then 300");
      // The ReDoS subject was evaluated (linear time) and does not match; its sibling does.
      assertThat(f.alerts("redos")).extracting(Alert::message).containsExactly("redos redos-hit");
      List<String> letters = f.deadLetters.values();
      assertThat(letters).noneMatch(v -> v.contains("big") || v.contains("redos-"));
      assertThat(letters)
          .anyMatch(v -> v.contains("far") && v.contains("events.max-ahead-of-clock"))
          .anyMatch(
              v ->
                  v.contains("\\\"exp\\\"")
                      && v.contains("field amount: ")
                      && v.contains("more than the limit of 100"))
          .anyMatch(
              v ->
                  v.contains("\\\"digits\\\"")
                      && (v.contains("more than the limit of 100")
                          || v.contains("exceeds the maximum allowed")))
          .anyMatch(
              v ->
                  v.contains(
                      "field merchant: a string of 20000 characters, more than the limit of 16384"))
          .anyMatch(v -> v.contains("\\\"nested\\\"") && v.contains("nesting depth"));
      assertThat(f.late.values()).isEmpty();
      assertFirstAttemptStillRunning(cluster, job);
    }
  }

  @Test
  void hostileRulesAreRejectedWithTheirReasonWhileTheOtherRulesKeepMatching(
      @InjectMiniCluster MiniCluster cluster) throws Exception {
    try (KafkaBroker kafka = JobFixture.broker();
        JobFixture f =
            new JobFixture(kafka, checkpoints, Map.of("rules.limits", "source-bytes=10000"))) {
      f.publish(new RuleCommand.DeclareStream("maintenance", 1, JobFixture.STREAM));
      f.publish(JobFixture.upsert("canary", 1, JobFixture.CANARY));
      f.publish(JobFixture.upsert("fault_fixed", 1, JobFixture.faultThen("FIXED", "fixed")));
      f.start("", UnaryOperator.identity());
      f.awaitStatus("fault_fixed", 1, RuleStatus.State.ACTIVE);
      f.barrier("d0", 0);
      JobID job = f.jobId();

      f.publish(
          JobFixture.upsert("huge_count", 1, rule("huge_count", "a: action == \"X\" {100000000}")));
      f.publish(
          JobFixture.upsert(
              "deep",
              1,
              rule("deep", "a: " + "(".repeat(2_000) + "action == \"X\"" + ")".repeat(2_000))));
      f.publish(
          JobFixture.upsert(
              "huge_source", 1, "# " + "x".repeat(20_000) + "\n" + rule("huge_source", "a: true")));
      f.publish(
          JobFixture.upsert("bad_regex", 1, rule("bad_regex", "a: tech matches \"(a)\\\\1\"")));
      f.publish(
          JobFixture.upsert("not_a_rule", 1, "rule not_a_rule from nowhere pattern a: ) alert"));
      f.publish(
          new RuleCommand.DeclareStream(
              "maintenance",
              2,
              JobFixture.STREAM.replace("lateness 1s", "lateness 99999999999999999999s")));
      f.publish(
          JobFixture.upsert("fault_fixed", Long.MAX_VALUE, JobFixture.faultThen("ACK", "locked")));
      f.publishRaw("garbage", "{\"type\":\"upsert\",");
      for (int i = 0; i < 50; i++) {
        f.publish(new RuleCommand.DisableRule("unknown-" + i, 1));
        f.publish(new RuleCommand.DeleteRule("gone-" + i));
      }

      f.awaitStatus("huge_count", 1, RuleStatus.State.REJECTED);
      f.awaitStatus("deep", 1, RuleStatus.State.REJECTED);
      f.awaitStatus("huge_source", 1, RuleStatus.State.REJECTED);
      f.awaitStatus("bad_regex", 1, RuleStatus.State.REJECTED);
      f.awaitStatus("not_a_rule", 1, RuleStatus.State.REJECTED);
      f.awaitStatus("stream:maintenance", 2, RuleStatus.State.REJECTED);
      f.awaitStatus("fault_fixed", Long.MAX_VALUE, RuleStatus.State.REJECTED);
      f.awaitStatus("garbage", 0, RuleStatus.State.REJECTED, 1);
      f.awaitStatus("unknown-49", 1, RuleStatus.State.DISABLED);
      assertThat(message(f, "huge_count")).contains("`{100000000}` counts more than 200 events");
      assertThat(message(f, "deep")).contains("nested more than 100 levels deep");
      assertThat(message(f, "huge_source"))
          .contains("the source is longer than 10000 bytes (UTF-8), the limit `source-bytes`");
      assertThat(message(f, "bad_regex")).contains("invalid regular expression");
      assertThat(message(f, "not_a_rule")).contains("not_a_rule.vgl:1:");
      assertThat(message(f, "stream:maintenance")).contains("99999999999999999999");
      assertThat(message(f, "fault_fixed")).contains("rules.max-version-jump");
      assertThat(message(f, "garbage")).startsWith("invalid control record: ");

      // The rules in place still match, and the next ordinary version is taken.
      f.event("f1", "d1", "FAULT", 10);
      f.event("x1", "d1", "FIXED", 11);
      f.barrier("d1", 20);
      f.publish(JobFixture.upsert("fault_fixed", 2, JobFixture.faultThen("ACK", "acked")));
      f.awaitStatus("fault_fixed", 2, RuleStatus.State.ACTIVE);
      f.event("f2", "d2", "FAULT", 30);
      f.event("x2", "d2", "ACK", 31);
      f.barrier("d2", 40);
      assertThat(f.alerts("fault_fixed"))
          .extracting(a -> a.ruleVersion() + " " + a.message())
          .containsExactlyInAnyOrder("1 fixed d1", "2 acked d2");
      assertFirstAttemptStillRunning(cluster, job);
    }
  }

  static String rule(String id, String pattern) {
    return """
        rule %s
          from maintenance
          partition by deviceId
          within 1h
          pattern
            %s
          alert "%s {deviceId}"
        """
        .formatted(id, pattern, id);
  }

  /** RUNNING, never restarted, and every task still in its first execution attempt. */
  static void assertFirstAttemptStillRunning(MiniCluster cluster, JobID job) throws Exception {
    AccessExecutionGraph graph = cluster.getExecutionGraph(job).get();
    assertThat(graph.getState()).isEqualTo(JobStatus.RUNNING);
    assertThat(graph.getStatusTimestamp(JobStatus.RESTARTING)).isZero();
    List<Integer> attempts = new ArrayList<>();
    for (AccessExecutionVertex vertex : graph.getAllExecutionVertices()) {
      attempts.add(vertex.getCurrentExecutionAttempt().getAttemptNumber());
    }
    assertThat(attempts).isNotEmpty().containsOnly(0);
  }

  private static String message(JobFixture f, String id) {
    return f.statuses().stream()
        .filter(s -> s.ruleId().equals(id) && s.state() == RuleStatus.State.REJECTED)
        .map(RuleStatus::message)
        .findFirst()
        .orElseThrow();
  }

  /** Events of the payments stream and a barrier on it (see {@link JobFixture#barrier}). */
  record Payments(KafkaBroker kafka, JobFixture f) {
    String json(String id, String card, String merchant, String amount, long time) {
      return ("{\"eventId\":\"%s\",\"cardId\":\"%s\",\"merchant\":\"%s\",\"amount\":%s,"
              + "\"ts\":\"%s\"}")
          .formatted(id, card, merchant, amount, java.time.Instant.ofEpochMilli(time));
    }

    ProducerRecord<String, String> record(
        String card, String id, String merchant, String amount, long time) {
      return raw(card, json(id, card, merchant, amount, time));
    }

    ProducerRecord<String, String> raw(String card, String json) {
      return new ProducerRecord<>("vigil.events.payments", card, json);
    }

    void barrier(String card, int seconds) {
      String id = "tick-" + card + "-" + seconds;
      kafka.sendAll(
          List.of(
              record(card, id, "TICK", "0", f.time(seconds)),
              record(card, "filler-" + id, "NOOP", "0", f.time(seconds + 5))));
      try {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> f.alerts().stream().anyMatch(a -> a.message().equals("tick " + id)));
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError(
            "no canary alert for " + id + "; dead letters: " + f.deadLetters.values().size(), e);
      }
    }
  }
}
