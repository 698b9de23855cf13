package io.vigil.runtime.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.alert.AlertJson;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import io.vigil.testing.kafka.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile rules and hostile events through the live job (in-JVM Kafka, MiniCluster): each hostile
 * rule is REJECTED with its reason, far-future events are dead-lettered with theirs, a huge loop's
 * alert stays within its caps, and all the while the job neither fails nor restarts and the other
 * rules keep matching.
 */
class GuardRailsEndToEndTest {

  @RegisterExtension static final MiniClusterExtension FLINK = JobFixture.miniCluster();

  @TempDir Path checkpoints;

  static final String LOOPS =
      """
      rule loops
        severity low
        from maintenance
        partition by deviceId
        pattern
          s: action == "STEP" {3,} consecutive
          next e: action == "END"
        within 1h
        skip past last event
        alert "loop of {count(s)} on {deviceId}"
      """;

  static final int MAX_ALERT_BYTES = 20_000;
  static final int LOOP = 300;

  static String deeplyNested(int depth) {
    return """
        rule deep
          from maintenance
          partition by deviceId
          pattern
            a: %s
          alert "deep {deviceId}"
        """
        .formatted("(".repeat(depth) + "action == \"X\"" + ")".repeat(depth));
  }

  @Test
  void hostileRulesAndEventsAreTurnedAwayWhileTheJobKeepsRunningAndMatching(
      @InjectMiniCluster MiniCluster cluster) throws Exception {
    try (KafkaBroker kafka = JobFixture.broker();
        JobFixture f =
            new JobFixture(
                kafka,
                checkpoints,
                Map.of(
                    "rules.max-live", "3",
                    "events.max-ahead-of-watermark", "1h",
                    "events.max-ahead-of-clock", "1d",
                    "alerts.max-events-per-stage", "10",
                    "alerts.max-bytes", Integer.toString(MAX_ALERT_BYTES)))) {
      f.publish(new RuleCommand.DeclareStream("maintenance", 1, JobFixture.STREAM));
      f.start("", UnaryOperator.identity());
      f.publish(JobFixture.upsert("canary", 1, JobFixture.CANARY));
      f.publish(JobFixture.upsert("fault_fixed", 1, JobFixture.faultThen("FIXED", "fixed")));
      f.awaitStatus("canary", 1, RuleStatus.State.ACTIVE);
      f.awaitStatus("fault_fixed", 1, RuleStatus.State.ACTIVE);
      f.barrier("d0", 0);

      // Hostile rules: each REJECTED on both matcher subtasks, with its reason.
      f.publish(
          new RuleCommand.DeclareStream(
              "maintenance",
              2,
              JobFixture.STREAM.replace("lateness 1s", "lateness 99999999999999999999s")));
      f.publish(JobFixture.upsert("deep", 1, deeplyNested(50_000)));
      f.awaitStatus("stream:maintenance", 2, RuleStatus.State.REJECTED);
      f.awaitStatus("deep", 1, RuleStatus.State.REJECTED);
      // The third live rule is the limit: a fourth is turned away.
      f.publish(JobFixture.upsert("loops", 1, LOOPS));
      f.awaitStatus("loops", 1, RuleStatus.State.ACTIVE);
      f.publish(JobFixture.upsert("extra", 1, JobFixture.faultThen("ACK", "extra")));
      f.publish(
          JobFixture.upsert("fault_fixed", Long.MAX_VALUE, JobFixture.faultThen("ACK", "locked")));
      f.awaitStatus("extra", 1, RuleStatus.State.REJECTED);
      f.awaitStatus("fault_fixed", Long.MAX_VALUE, RuleStatus.State.REJECTED);
      assertThat(message(f, "stream:maintenance")).contains("99999999999999999999");
      // The compiler's nesting limit answers before any recursion; RuleBookGuardsTest covers the
      // builder's own guard against a StackOverflowError.
      assertThat(message(f, "deep")).contains("deep.vgl:").contains("`nesting-depth`");
      assertThat(message(f, "extra")).contains("already runs 3 rules").contains("rules.max-live");
      assertThat(message(f, "fault_fixed", Long.MAX_VALUE)).contains("rules.max-version-jump");
      // The absurd version locked nothing: the next ordinary version is taken.
      f.publish(JobFixture.upsert("fault_fixed", 2, JobFixture.faultThen("FIXED", "fixed")));
      f.awaitStatus("fault_fixed", 2, RuleStatus.State.ACTIVE);

      // Hostile events: a partial match is open on d1 when events dated far ahead arrive.
      long tenYears = f.time(0) + Duration.ofDays(3650).toMillis();
      long threeHours = f.time(10) + Duration.ofHours(3).toMillis();
      kafka.sendAll(
          List.of(
              record("d1", JobFixture.json("f1", "d1", "FAULT", "t", f.time(10))),
              record("d1", JobFixture.json("far1", "d1", "NOOP", "t", tenYears)),
              record("d1", JobFixture.json("far2", "d1", "NOOP", "t", threeHours)),
              record("d1", JobFixture.json("x1", "d1", "FIXED", "t", f.time(11)))));
      f.barrier("d1", 20);
      assertThat(f.alerts("fault_fixed"))
          .extracting(a -> a.ruleVersion() + " " + a.message())
          .containsExactly("2 fixed d1");
      List<String> letters = f.deadLetters.values();
      assertThat(letters)
          .anyMatch(
              v ->
                  v.contains("far1")
                      && v.contains("ahead of the wall clock")
                      && v.contains("events.max-ahead-of-clock"));
      assertThat(letters)
          .anyMatch(
              v ->
                  v.contains("far2")
                      && v.contains("ahead of stream maintenance's watermark")
                      && v.contains("events.max-ahead-of-watermark"));
      assertThat(f.late.values()).isEmpty();

      // A huge loop: its alert keeps the first and last steps, counts the rest, and fits.
      String tech = "x".repeat(2_000);
      List<ProducerRecord<String, String>> loop = new ArrayList<>();
      for (int i = 0; i < LOOP; i++) {
        loop.add(record("L", JobFixture.json("s" + i, "L", "STEP", tech, f.time(30 + i))));
      }
      loop.add(record("L", JobFixture.json("end", "L", "END", tech, f.time(30 + LOOP))));
      kafka.sendAll(loop);
      f.barrier("L", 40 + LOOP);
      Alert alert = f.alerts("loops").stream().findFirst().orElseThrow();
      assertThat(alert.message()).isEqualTo("loop of " + LOOP + " on L");
      List<Object> steps = alert.events().get("s").stream().map(e -> e.get("eventId")).toList();
      assertThat(steps).hasSizeLessThanOrEqualTo(10).startsWith("s0").endsWith("s" + (LOOP - 1));
      assertThat(steps.size() + alert.dropped().get("s")).isEqualTo(LOOP);
      assertThat(f.alerts.values().stream().filter(v -> v.contains("\"ruleId\":\"loops\"")))
          .allMatch(v -> v.getBytes(StandardCharsets.UTF_8).length <= MAX_ALERT_BYTES);
      assertThat(AlertJson.write(alert)).contains("\"dropped\":{\"s\":");

      // Still the first run of the job: nothing above made it fail or restart.
      f.barrier("d2", 50 + LOOP);
      assertThat(cluster.getExecutionGraph(f.jobId()).get().getState())
          .isEqualTo(JobStatus.RUNNING);
      assertThat(
              cluster.getExecutionGraph(f.jobId()).get().getStatusTimestamp(JobStatus.RESTARTING))
          .isZero();
    }
  }

  /**
   * On a broker that accepts only SASL and grants nothing without an ACL, the job runs as a user
   * holding exactly the ACLs docs/runtime.md lists: every one of its Kafka clients (start-up reader
   * of the rules, control and event sources, alert, status, late and dead-letter sinks) gets the
   * {@code kafka.properties.*} settings and is allowed what it needs.
   */
  @Test
  void everyKafkaClientOfTheJobUsesTheClientSettingsAndNeedsOnlyTheDocumentedAcls()
      throws Exception {
    try (KafkaBroker kafka = KafkaBroker.withSaslAndAcls()) {
      try (Admin admin = kafka.admin()) {
        admin.createAcls(jobAcls("User:" + KafkaBroker.USER)).all().get();
      }
      try (JobFixture f =
          new JobFixture(
              kafka,
              checkpoints,
              Map.of(
                  "kafka.properties.security.protocol", "SASL_PLAINTEXT",
                  "kafka.properties.sasl.mechanism", "PLAIN",
                  "kafka.properties.sasl.jaas.config", KafkaBroker.USER_JAAS))) {
        // Read at start-up by the rules reader, before the job runs.
        f.publish(new RuleCommand.DeclareStream("maintenance", 1, JobFixture.STREAM));
        f.publish(JobFixture.upsert("canary", 1, JobFixture.CANARY));
        f.start("", UnaryOperator.identity());
        // Through the control source, acknowledged through the status sink.
        f.publish(JobFixture.upsert("fault_fixed", 1, JobFixture.faultThen("FIXED", "fixed")));
        f.awaitStatus("fault_fixed", 1, RuleStatus.State.ACTIVE);
        // Events through the event source; alerts through the transactional sink.
        f.event("f1", "d1", "FAULT", 0);
        f.event("x1", "d1", "FIXED", 1);
        kafka.send("vigil.events.maintenance", "d1", "not json");
        f.barrier("d1", 10);
        assertThat(f.alerts("fault_fixed")).extracting(Alert::message).containsExactly("fixed d1");
        // The dead-letter and late sinks.
        f.event("old", "d1", "NOOP", -60);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    f.deadLetters.values().stream().anyMatch(v -> v.contains("not json"))
                        && f.late.values().stream().anyMatch(v -> v.contains("\"old\"")));
      }
    }
  }

  /** The job's ACLs of docs/runtime.md (group and transactional-id prefixes of the defaults). */
  static List<AclBinding> jobAcls(String principal) {
    List<AclBinding> acls = new ArrayList<>();
    java.util.function.BiConsumer<ResourcePattern, AclOperation> allow =
        (resource, operation) ->
            acls.add(
                new AclBinding(
                    resource,
                    new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
    ResourcePattern events =
        new ResourcePattern(ResourceType.TOPIC, "vigil.events.", PatternType.PREFIXED);
    ResourcePattern rules =
        new ResourcePattern(ResourceType.TOPIC, "vigil.rules", PatternType.LITERAL);
    for (ResourcePattern read : List.of(events, rules)) {
      allow.accept(read, AclOperation.READ);
      allow.accept(read, AclOperation.DESCRIBE);
    }
    allow.accept(
        new ResourcePattern(ResourceType.GROUP, "vigil-job", PatternType.PREFIXED),
        AclOperation.READ);
    for (String topic :
        List.of("vigil.alerts", "vigil.rule-status", "vigil.late", "vigil.dead-letter")) {
      ResourcePattern written = new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL);
      allow.accept(written, AclOperation.WRITE);
      allow.accept(written, AclOperation.DESCRIBE);
    }
    ResourcePattern transactions =
        new ResourcePattern(
            ResourceType.TRANSACTIONAL_ID, "vigil-alerts-vigil-job", PatternType.PREFIXED);
    allow.accept(transactions, AclOperation.WRITE);
    allow.accept(transactions, AclOperation.DESCRIBE);
    allow.accept(
        new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL),
        AclOperation.IDEMPOTENT_WRITE);
    return acls;
  }

  private static ProducerRecord<String, String> record(String key, String json) {
    return new ProducerRecord<>("vigil.events.maintenance", key, json);
  }

  private static String message(JobFixture f, String id) {
    return message(f, id, -1);
  }

  private static String message(JobFixture f, String id, long version) {
    return f.statuses().stream()
        .filter(
            s ->
                s.ruleId().equals(id)
                    && s.state() == RuleStatus.State.REJECTED
                    && (version < 0 || s.version() == version))
        .map(RuleStatus::message)
        .findFirst()
        .orElseThrow();
  }
}
