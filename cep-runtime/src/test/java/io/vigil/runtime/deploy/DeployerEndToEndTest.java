package io.vigil.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.compiler.cli.RuleFiles;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.alert.AlertJson;
import io.vigil.runtime.cli.VigilMain;
import io.vigil.runtime.control.CommandSignature;
import io.vigil.runtime.control.ControlJson;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import io.vigil.runtime.job.JobConfig;
import io.vigil.runtime.job.VigilJob;
import io.vigil.testing.kafka.KafkaBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Deploying to a running job, through the library and the {@code vigil} command line: one in-JVM
 * KRaft broker and one Vigil job (parallelism 2, configured with a signing key) on a MiniCluster
 * for the whole class. Each test works on rules of its own.
 */
class DeployerEndToEndTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static final String SECRET = "the-job-signing-key-of-this-test";
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  static final String STREAM =
      """
      stream maintenance
        time ts
        lateness 1s
        fields
          eventId: string
          deviceId: string
          action: string
          tech: string
          ts: timestamp
      """;

  @TempDir static Path work;

  static KafkaBroker kafka;
  static JobClient job;
  static Deployer deployer;
  static KafkaBroker.Reader alerts;
  static Publication preSigned;
  static final Instant STARTED = Instant.now();
  private static final long BASE = Instant.now().plus(Duration.ofHours(1)).toEpochMilli();

  static String rule(String id, String action, String message) {
    return """
        rule %s
          severity high
          from maintenance
          partition by deviceId
          pattern
            f: action == "FAULT"
            then x: action == "%s"
          within 1h
          alert "%s {deviceId}"
        """
        .formatted(id, action, message);
  }

  @BeforeAll
  static void startJobAndDeclareTheStream() throws Exception {
    kafka = KafkaBroker.builder().partitions(2).noAutoCreatedTopics().start();
    // The deployer creates the history topic itself; the job's topics exist as in production.
    kafka.createTopics(JobConfig.defaults().topics().toArray(String[]::new));
    kafka.createTopics("vigil.events.maintenance");
    // Published before the job starts: it must take them from its initial read of the control
    // topic, and leave out what is not signed.
    deployer =
        new Deployer(
            DeploySettings.of(kafka.servers()).withSignature(CommandSignature.ofSecret(SECRET)));
    Publication stream = deployer.publish(new Change.DeclareStream("maintenance", STREAM));
    preSigned =
        deployer.publish(
            new Change.UpsertRule("pre_signed", rule("pre_signed", "FIXED", "pre signed")));
    kafka.send(
        "vigil.rules",
        "pre_unsigned",
        ControlJson.write(
            new RuleCommand.UpsertRule(
                "pre_unsigned", 1, rule("pre_unsigned", "FIXED", "x"), Long.MIN_VALUE, false)));
    JobConfig config =
        JobConfig.defaults()
            .with(
                Map.of(
                    "kafka.bootstrap-servers", kafka.servers(),
                    "parallelism", "2",
                    "checkpoint.interval", "300ms",
                    "checkpoint.dir", work.resolve("checkpoints").toUri().toString(),
                    "kafka.topic-discovery-interval", "1s",
                    "events.starting-offsets", "earliest",
                    "kafka.transaction-timeout", "1m",
                    "events.idleness", "3s",
                    "control.signing-key", SECRET));
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(VigilJob.flinkConfiguration(config));
    VigilJob.build(env, config, VigilJob.readInitialRules(config), UnaryOperator.identity());
    job = env.executeAsync("vigil-deploy-test");
    alerts = kafka.reader("vigil.alerts");
    assertThat(deployer.await(stream.rollout(), TIMEOUT, s -> {}).summary())
        .isEqualTo("stream:maintenance v1 active on 2/2 subtasks");
  }

  @AfterAll
  static void stop() throws Exception {
    if (job != null) {
      job.cancel().get();
    }
    deployer.close();
    alerts.close();
    kafka.close();
  }

  private static Path rulesDir(String name, String... files) throws Exception {
    Path dir = Files.createDirectories(work.resolve(name));
    Files.writeString(dir.resolve("streams.vgl"), STREAM);
    for (int i = 0; i < files.length; i++) {
      Files.writeString(dir.resolve("rule" + i + ".vgl"), files[i]);
    }
    return dir;
  }

  private static List<Publication> deploy(Path dir) throws Exception {
    return deployer.publish(Change.fromSources(RuleFiles.read(List.of(dir))));
  }

  private static List<RolloutStatus> awaitAll(List<Publication> publications) {
    return deployer.awaitAll(
        publications.stream().map(Publication::rollout).toList(), TIMEOUT, s -> {});
  }

  /**
   * Event time moves forward from test to test (each partition's watermark follows its events, so a
   * test's events must not be older than an earlier test's): each test's events start 100 s after
   * the previous test's.
   */
  private static long timeline() {
    return BASE + TIMELINES.getAndIncrement() * 100_000L;
  }

  private static final java.util.concurrent.atomic.AtomicLong TIMELINES =
      new java.util.concurrent.atomic.AtomicLong();

  private static void event(long timeline, String id, String device, String action, int seconds) {
    String ts = Instant.ofEpochMilli(timeline + seconds * 1000L).toString();
    kafka.send(
        "vigil.events.maintenance",
        device,
        "{\"eventId\":\"%s\",\"deviceId\":\"%s\",\"action\":\"%s\",\"tech\":\"t\",\"ts\":\"%s\"}"
            .formatted(id, device, action, ts));
  }

  private static Alert awaitAlert(String ruleId, String device) {
    List<Alert> found = new ArrayList<>();
    await()
        .atMost(TIMEOUT)
        .until(
            () -> {
              alerts.values().stream()
                  .map(AlertJson::read)
                  .filter(a -> a.ruleId().equals(ruleId) && a.key().containsValue(device))
                  .findFirst()
                  .ifPresent(found::add);
              return !found.isEmpty();
            });
    return found.get(0);
  }

  @Test
  void aRulesDirectoryIsDeployedAndActiveOnEverySubtaskAndOnlyChangesGetNewVersions()
      throws Exception {
    Path dir = rulesDir("dir", rule("dir_a", "FIXED", "a"), rule("dir_b", "FIXED", "b"));
    List<Publication> first = deploy(dir);
    assertThat(first)
        .extracting(p -> p.key() + " v" + p.version() + " " + p.changed())
        // The stream is declared already, with the same source: unchanged.
        .containsExactly("stream:maintenance v1 false", "dir_a v1 true", "dir_b v1 true");
    List<String> progress = new ArrayList<>();
    List<RolloutStatus> done =
        deployer.awaitAll(
            first.stream().filter(Publication::changed).map(Publication::rollout).toList(),
            TIMEOUT,
            s -> progress.add(s.summary()));
    assertThat(done)
        .extracting(RolloutStatus::summary)
        .containsExactly("dir_a v1 active on 2/2 subtasks", "dir_b v1 active on 2/2 subtasks");
    assertThat(progress).contains("dir_a v1 active on 1/2 subtasks");

    // Unchanged: nothing new.
    assertThat(deploy(dir)).noneMatch(Publication::changed);
    assertThat(deployer.history("dir_a")).extracting(RuleVersion::version).containsExactly(1L);

    // One rule changed: only it gets a new version.
    Files.writeString(dir.resolve("rule1.vgl"), rule("dir_b", "ACK", "b acked"));
    List<Publication> second = deploy(dir);
    assertThat(second)
        .extracting(p -> p.key() + " v" + p.version() + " " + p.changed())
        .containsExactly("stream:maintenance v1 false", "dir_a v1 false", "dir_b v2 true");
    assertThat(awaitAll(second.subList(2, 3)))
        .extracting(RolloutStatus::summary)
        .containsExactly("dir_b v2 active on 2/2 subtasks");

    // What is deployed, and the job's answers, for the list page and `vigil status`.
    assertThat(deployer.deployed().get("dir_b").orElseThrow().source())
        .contains(rule("dir_b", "ACK", "b acked").strip());
    assertThat(deployer.status())
        .filteredOn(s -> s.key().startsWith("dir_") || s.key().startsWith("stream:"))
        .extracting(RuleState::summary)
        .containsExactly(
            "stream:maintenance v1 active on 2/2 subtasks",
            "dir_a v1 active on 2/2 subtasks",
            "dir_b v2 active on 2/2 subtasks");
  }

  @Test
  void aRollbackRepublishesTheOldSourceAsANewVersionAndTheJobMatchesAsBefore() throws Exception {
    Publication v1 = deployer.publish(new Change.UpsertRule("rb", rule("rb", "FIXED", "v1 fixed")));
    Publication v2 = deployer.publish(new Change.UpsertRule("rb", rule("rb", "ACK", "v2 acked")));
    assertThat(deployer.await(v2.rollout(), TIMEOUT, s -> {}).progress())
        .isEqualTo(RolloutStatus.Progress.COMPLETE);

    Publication rollback = deployer.publish(new Change.Rollback("rb", 1));
    assertThat(rollback.version()).isEqualTo(3);
    assertThat(rollback.command())
        .isEqualTo(
            new RuleCommand.UpsertRule(
                "rb", 3, rule("rb", "FIXED", "v1 fixed"), Long.MIN_VALUE, false));
    assertThat(deployer.await(rollback.rollout(), TIMEOUT, s -> {}).summary())
        .isEqualTo("rb v3 active on 2/2 subtasks");
    assertThat(deployer.history("rb"))
        .extracting(v -> "v" + v.version() + " " + v.source().orElseThrow().contains("FIXED"))
        .containsExactly("v1 true", "v2 false", "v3 true");
    assertThat(v1.version()).isEqualTo(1);

    // FAULT, ACK, FIXED: version 2 would complete on ACK, version 1 (and so 3) on FIXED.
    long t = timeline();
    event(t, "rb-1", "rb-device", "FAULT", 0);
    event(t, "rb-2", "rb-device", "ACK", 1);
    event(t, "rb-3", "rb-device", "FIXED", 2);
    event(t, "rb-4", "rb-device", "NOOP", 10);
    Alert alert = awaitAlert("rb", "rb-device");
    assertThat(alert.ruleVersion()).isEqualTo(3);
    assertThat(alert.message()).isEqualTo("v1 fixed rb-device");
    assertThat(alert.events().get("x"))
        .singleElement()
        .satisfies(e -> assertThat(e.toString()).contains("rb-3"));
  }

  @Test
  void aRejectedVersionIsReportedWithTheJobsMessageAndThePreviousVersionStillRuns() {
    Publication good = deployer.publish(new Change.UpsertRule("rj", rule("rj", "FIXED", "ok")));
    assertThat(deployer.await(good.rollout(), TIMEOUT, s -> {}).progress())
        .isEqualTo(RolloutStatus.Progress.COMPLETE);
    Publication bad =
        deployer.publish(
            new Change.UpsertRule(
                "rj", rule("rj", "FIXED", "ok").replace("action ==", "nosuchfield ==")));
    RolloutStatus rejected = deployer.await(bad.rollout(), TIMEOUT, s -> {});
    assertThat(rejected.progress()).isEqualTo(RolloutStatus.Progress.REJECTED);
    assertThat(rejected.summary()).startsWith("rj v2 rejected: ").contains("nosuchfield");

    RuleState state = deployer.status("rj").orElseThrow();
    assertThat(state.rollout().progress()).isEqualTo(RolloutStatus.Progress.REJECTED);
    assertThat(state.previous())
        .get()
        .extracting(RolloutStatus::summary)
        .isEqualTo("rj v1 active on 2/2 subtasks");
    assertThat(state.summary()).endsWith("(v1 active on 2/2 subtasks)");
  }

  @Test
  void disableAndDeleteAreFollowedUntilEverySubtaskReleasedTheRule() {
    Publication up = deployer.publish(new Change.UpsertRule("dd", rule("dd", "FIXED", "dd")));
    deployer.await(up.rollout(), TIMEOUT, s -> {});
    Publication disable = deployer.publish(new Change.DisableRule("dd"));
    assertThat(deployer.await(disable.rollout(), TIMEOUT, s -> {}).summary())
        .isEqualTo("dd v2 disabled on 2/2 subtasks");
    assertThat(deployer.publish(new Change.DisableRule("dd")).changed()).isFalse();
    Publication delete = deployer.publish(new Change.DeleteRule("dd"));
    assertThat(deployer.await(delete.rollout(), TIMEOUT, s -> {}).summary())
        .isEqualTo("dd v3 deleted on 2/2 subtasks");
    assertThat(deployer.deployed().get("dd").orElseThrow().command())
        .isEqualTo(new RuleCommand.DeleteRule("dd"));
    // The history keeps every version, the delete included, and brings the rule back.
    assertThat(deployer.history("dd")).extracting(RuleVersion::version).containsExactly(1L, 2L, 3L);
    Publication back = deployer.publish(new Change.Rollback("dd", 1));
    assertThat(deployer.await(back.rollout(), TIMEOUT, s -> {}).summary())
        .isEqualTo("dd v4 active on 2/2 subtasks");
  }

  @Test
  void ofTheCommandsPublishedBeforeTheJobStartedOnlyTheSignedOneApplies() {
    assertThat(deployer.await(preSigned.rollout(), TIMEOUT, s -> {}).summary())
        .isEqualTo("pre_signed v1 active on 2/2 subtasks");
    assertThat(
            deployer
                .await(
                    new Rollout("pre_unsigned", 1, RuleStatus.State.ACTIVE, STARTED),
                    TIMEOUT,
                    s -> {})
                .summary())
        .isEqualTo(
            "pre_unsigned v1 rejected: not applied: unsigned control record (no vigil-signature"
                + " header)");
    // Both rules would match these events on the same key, in the same drain: once the signed
    // rule's alert is visible, the unsigned one's would be too (same subtask and transaction).
    long t = timeline();
    event(t, "pre-1", "pre-device", "FAULT", 0);
    event(t, "pre-2", "pre-device", "FIXED", 1);
    event(t, "pre-3", "pre-device", "NOOP", 10);
    assertThat(awaitAlert("pre_signed", "pre-device").message()).isEqualTo("pre signed pre-device");
    assertThat(alerts.values()).noneMatch(json -> json.contains("pre_unsigned"));
  }

  @Test
  void theJobAppliesOnlyCommandsSignedWithItsKey() {
    // Unsigned, straight onto the control topic.
    kafka.send(
        "vigil.rules",
        "unsigned_rule",
        ControlJson.write(
            new RuleCommand.UpsertRule(
                "unsigned_rule", 1, rule("unsigned_rule", "FIXED", "x"), Long.MIN_VALUE, false)));
    RolloutStatus unsigned =
        deployer.await(
            new Rollout("unsigned_rule", 1, RuleStatus.State.ACTIVE, Instant.now().minusSeconds(5)),
            TIMEOUT,
            s -> {});
    assertThat(unsigned.summary())
        .isEqualTo(
            "unsigned_rule v1 rejected: not applied: unsigned control record (no vigil-signature"
                + " header)");

    // Signed with another key.
    try (Deployer forger =
        new Deployer(
            deployer
                .settings()
                .withSignature(CommandSignature.ofSecret("not-the-key-of-the-job")))) {
      Publication forged =
          forger.publish(new Change.UpsertRule("signed_rule", rule("signed_rule", "FIXED", "x")));
      RolloutStatus refused = forger.await(forged.rollout(), TIMEOUT, s -> {});
      assertThat(refused.progress()).isEqualTo(RolloutStatus.Progress.REJECTED);
      assertThat(refused.rejection()).get().asString().contains("not applied: bad signature");
    }

    // The forged record does not count as deployed for a deployer with the right key, and its
    // refused version is not used again: the real command is applied.
    Publication real =
        deployer.publish(new Change.UpsertRule("signed_rule", rule("signed_rule", "FIXED", "x")));
    assertThat(real.changed()).isTrue();
    assertThat(deployer.await(real.rollout(), TIMEOUT, s -> {}).summary())
        .isEqualTo("signed_rule v2 active on 2/2 subtasks");
  }

  @Test
  void theCommandLineDeploysFollowsAndExitsWithTheOutcome() throws Exception {
    Path dir = rulesDir("cli", rule("cli_rule", "FIXED", "cli v1"));
    Path key = Files.writeString(work.resolve("signing.key"), SECRET + "\n");
    String[] connection = {
      "--bootstrap-servers", kafka.servers(), "--signing-key-file", key.toString()
    };

    Run deploy = vigil("deploy", "--rules", dir.toString(), connection);
    assertThat(deploy.code()).as(deploy.toString()).isZero();
    assertThat(deploy.out())
        .contains("stream:maintenance v1 unchanged", "cli_rule v1 active on 2/2 subtasks");

    Run again = vigil("deploy", "--rules", dir.toString(), connection);
    assertThat(again.code()).isZero();
    assertThat(again.out()).contains("cli_rule v1 unchanged").doesNotContain("active on");

    Files.writeString(dir.resolve("rule0.vgl"), rule("cli_rule", "ACK", "cli v2"));
    assertThat(vigil("deploy", "--rules", dir.toString(), connection).out())
        .contains("cli_rule v2 active on 2/2 subtasks");
    Run rollback = vigil("rollback", "cli_rule", "--to", "1", connection);
    assertThat(rollback.code()).as(rollback.toString()).isZero();
    assertThat(rollback.out()).contains("cli_rule v3 active on 2/2 subtasks");

    Run status = vigil("status", connection);
    assertThat(status.code()).isZero();
    assertThat(status.out()).containsPattern("cli_rule +v3 +active +2/2 ");
    Run one = vigil("status", "cli_rule", connection);
    assertThat(one.out())
        .contains(
            "cli_rule v3 active on 2/2 subtasks",
            "subtask 0: ACTIVE",
            "subtask 1: ACTIVE",
            "v1 ",
            "v2 ",
            "v3 ");

    // The job refuses a command signed with another key: exit status 1, with the job's reason.
    Path wrong = Files.writeString(work.resolve("wrong.key"), "a-key-the-job-does-not-know");
    Files.writeString(dir.resolve("rule0.vgl"), rule("cli_rule", "ACK", "cli v4"));
    Run refused =
        vigil(
            "deploy",
            "--rules",
            dir.toString(),
            "--bootstrap-servers",
            kafka.servers(),
            "--signing-key-file",
            wrong.toString());
    assertThat(refused.code()).as(refused.toString()).isEqualTo(1);
    assertThat(refused.out()).contains("cli_rule v4 rejected: not applied: bad signature");
  }

  record Run(int code, String out, String err) {}

  private static Run vigil(String command, Object... args) {
    List<String> all = new ArrayList<>();
    all.add(command);
    for (Object arg : args) {
      if (arg instanceof String[] many) {
        all.addAll(List.of(many));
      } else {
        all.add((String) arg);
      }
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = VigilMain.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }
}
