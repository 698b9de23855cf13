package io.vigil.runtime.job;

import static org.awaitility.Awaitility.await;

import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.alert.AlertJson;
import io.vigil.runtime.control.ControlJson;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import io.vigil.runtime.source.EventRecord;
import io.vigil.testing.kafka.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The Kafka job on the test's MiniCluster against the in-JVM broker, with the helpers the
 * end-to-end tests share: publishing rules and events, and waiting for what the job writes.
 *
 * <p>"Barriers" make absence observable without timing: a {@code canary} rule alerts on a TICK
 * event of a given device; once that alert is visible (read_committed), every event of that device
 * published before the TICK has been processed and its alerts are committed (the same matcher and
 * sink subtasks, in order).
 */
final class JobFixture implements AutoCloseable {

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

  static final String CANARY =
      """
      rule canary
        severity low
        from maintenance
        partition by deviceId
        pattern
          t: action == "TICK"
        alert "tick {t.eventId}"
      """;

  static String faultThen(String action, String message) {
    return """
        rule fault_fixed
          severity high
          owner "ops"
          from maintenance
          partition by deviceId
          pattern
            f: action == "FAULT"
            then x: action == "%s"
          within 1h
          alert "%s {deviceId}"
        """
        .formatted(action, message);
  }

  /**
   * The MiniCluster the job tests run on: one task manager with four slots (two matcher subtasks
   * with their sources and sinks).
   */
  static MiniClusterExtension miniCluster() {
    return miniCluster(new Configuration());
  }

  /** The same MiniCluster with the given cluster configuration (e.g. a metric reporter). */
  static MiniClusterExtension miniCluster(Configuration configuration) {
    return new MiniClusterExtension(
        new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(configuration)
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());
  }

  /**
   * The broker the job tests use: two partitions per topic, so that the matcher's subtasks both
   * read; no topic created on first use, as the job must not rely on that.
   */
  static KafkaBroker broker() {
    return KafkaBroker.builder().partitions(2).noAutoCreatedTopics().start();
  }

  /** A fixture on a broker of its own ({@link #broker()}), which {@link #close()} stops. */
  static JobFixture onOwnBroker(Path checkpoints) {
    return onOwnBroker(checkpoints, Map.of());
  }

  /** The same with job options on top of the test defaults. */
  static JobFixture onOwnBroker(Path checkpoints, Map<String, String> extra) {
    return new JobFixture(broker(), true, checkpoints, extra);
  }

  final KafkaBroker kafka;
  private final boolean ownsBroker;
  final Path checkpoints;
  final KafkaBroker.Reader alerts;
  final KafkaBroker.Reader statuses;
  final KafkaBroker.Reader deadLetters;
  final KafkaBroker.Reader late;
  private final long base = Instant.now().plus(Duration.ofHours(1)).toEpochMilli();
  private JobClient job;
  private int ticks;

  JobFixture(KafkaBroker kafka, Path checkpoints) {
    this(kafka, checkpoints, Map.of());
  }

  /**
   * @param extra job options on top of the test defaults (e.g. the state backend)
   */
  JobFixture(KafkaBroker kafka, Path checkpoints, Map<String, String> extra) {
    this(kafka, false, checkpoints, extra);
  }

  private JobFixture(
      KafkaBroker kafka, boolean ownsBroker, Path checkpoints, Map<String, String> extra) {
    this.extra = extra;
    this.kafka = kafka;
    this.ownsBroker = ownsBroker;
    this.checkpoints = checkpoints;
    kafka.createTopics(JobConfig.defaults().topics().toArray(String[]::new));
    kafka.createTopics("vigil.events.maintenance");
    alerts = kafka.reader("vigil.alerts");
    statuses = kafka.reader("vigil.rule-status");
    deadLetters = kafka.reader("vigil.dead-letter");
    late = kafka.reader("vigil.late");
  }

  private final Map<String, String> extra;

  JobConfig config(String restoreFrom) {
    return JobConfig.load(null, Map.of())
        .with(
            Map.of(
                "kafka.bootstrap-servers", kafka.servers(),
                "parallelism", "2",
                "checkpoint.interval", "300ms",
                "checkpoint.dir", checkpoints.toUri().toString(),
                "kafka.topic-discovery-interval", "1s",
                "events.starting-offsets", "earliest",
                "kafka.transaction-timeout", "1m",
                // Events are sent in time order, so idle partitions never make them late.
                "events.idleness", "3s",
                "restore-from", restoreFrom,
                // The barriers and the exactly-once checks read committed, transactional alerts.
                "alerts.delivery", "exactly-once"))
        .with(extra);
  }

  void start(String restoreFrom, UnaryOperator<DataStream<EventRecord>> hook) throws Exception {
    start(restoreFrom, hook, Map.of());
  }

  void start(
      String restoreFrom, UnaryOperator<DataStream<EventRecord>> hook, Map<String, String> options)
      throws Exception {
    JobConfig config = config(restoreFrom).with(options);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(VigilJob.flinkConfiguration(config));
    VigilJob.build(env, config, VigilJob.readInitialRules(config), hook);
    job = env.executeAsync("vigil-test");
  }

  org.apache.flink.api.common.JobID jobId() {
    return job.getJobID();
  }

  /** Stops the job with a savepoint under {@code dir}; returns the savepoint's path. */
  String stopWithSavepoint(Path dir) throws Exception {
    return job.stopWithSavepoint(
            false,
            dir.toUri().toString(),
            org.apache.flink.core.execution.SavepointFormatType.CANONICAL)
        .get();
  }

  /** Cancels the job (its checkpoints are retained) and returns the latest one. */
  Path cancel() throws Exception {
    job.cancel().get();
    try (Stream<Path> files = Files.walk(checkpoints)) {
      return files
          .filter(p -> p.getFileName().toString().equals("_metadata"))
          .map(Path::getParent)
          .max(
              Comparator.comparingLong(
                  p -> Long.parseLong(p.getFileName().toString().substring("chk-".length()))))
          .orElseThrow(() -> new IllegalStateException("no completed checkpoint"));
    }
  }

  /** An upsert whose activation is the command's Kafka timestamp (publish time). */
  static RuleCommand.UpsertRule upsert(String id, long version, String source) {
    return new RuleCommand.UpsertRule(id, version, source, Long.MIN_VALUE, false);
  }

  void publish(RuleCommand command) {
    kafka.send("vigil.rules", command.topicKey(), ControlJson.write(command));
  }

  void publishRaw(String key, String value) {
    kafka.send("vigil.rules", key, value);
  }

  /** Waits until both matcher subtasks acknowledged {@code version} of {@code ruleId} so. */
  void awaitStatus(String ruleId, long version, RuleStatus.State state) {
    awaitStatus(ruleId, version, state, 2);
  }

  void awaitStatus(String ruleId, long version, RuleStatus.State state, int subtasks) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                statuses().stream()
                        .filter(
                            s ->
                                s.ruleId().equals(ruleId)
                                    && s.version() == version
                                    && s.state() == state)
                        .map(RuleStatus::subtask)
                        .distinct()
                        .count()
                    == subtasks);
  }

  List<RuleStatus> statuses() {
    return statuses.values().stream()
        .map(
            json -> {
              try {
                return ControlJson.readStatus(json);
              } catch (ControlJson.InvalidCommandException e) {
                throw new IllegalStateException(e);
              }
            })
        .toList();
  }

  /** An event of the maintenance stream at {@code base + seconds}. */
  void event(String id, String device, String action, int seconds) {
    kafka.send("vigil.events.maintenance", device, json(id, device, action, seconds));
  }

  private String json(String id, String device, String action, int seconds) {
    return json(id, device, action, "t", base + seconds * 1000L);
  }

  /** The event time of {@code seconds} in the fixture's time line (epoch ms). */
  long time(int seconds) {
    return base + seconds * 1000L;
  }

  /** A maintenance event as JSON, at any time and with any {@code tech} text. */
  static String json(String id, String device, String action, String tech, long time) {
    return "{\"eventId\":\"%s\",\"deviceId\":\"%s\",\"action\":\"%s\",\"tech\":\"%s\",\"ts\":\"%s\"}"
        .formatted(id, device, action, tech, Instant.ofEpochMilli(time));
  }

  /**
   * Sends a TICK for {@code device} at {@code seconds} and, on every partition, an event of another
   * device 5 s later (the watermark passes the TICK), then waits for the canary's alert.
   */
  void barrier(String device, int seconds) {
    String id = "tick-" + ticks++;
    event(id, device, "TICK", seconds);
    // Event time advances per partition. The filler goes behind the TICK on the TICK's partition
    // (same key): it cannot overtake it. A filler on the other partition could: if this partition
    // was idle (no event for events.idleness), the other one alone would carry the watermark past
    // the TICK before the TICK was read, and make it late. The other partition holds event time
    // back until it is idle itself, or carries it on with its own events.
    kafka.send(
        "vigil.events.maintenance", device, json("filler-" + id, device, "NOOP", seconds + 5));
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> alerts().stream().anyMatch(a -> a.message().equals("tick " + id)));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "no canary alert for "
              + id
              + "; alerts: "
              + alerts.values()
              + "; dead letters: "
              + deadLetters.values()
              + "; late: "
              + late.values(),
          e);
    }
  }

  List<Alert> alerts() {
    return alerts.values().stream().map(AlertJson::read).toList();
  }

  List<Alert> alerts(String ruleId) {
    return alerts().stream().filter(a -> a.ruleId().equals(ruleId)).toList();
  }

  @Override
  public void close() throws Exception {
    if (job != null) {
      try {
        job.cancel().get();
      } catch (Exception e) {
        // Already cancelled or failed: nothing left to stop.
      }
    }
    alerts.close();
    statuses.close();
    deadLetters.close();
    late.close();
    if (ownsBroker) {
      kafka.close();
    }
  }
}
