package io.vigil.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.compiler.cli.RuleFiles;
import io.vigil.runtime.Samples;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.alert.AlertJson;
import io.vigil.runtime.control.ControlJson;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleSources;
import io.vigil.runtime.control.RuleStatus;
import io.vigil.runtime.replay.CollectedReplay;
import io.vigil.testing.kafka.KafkaBroker;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.metrics.prometheus.PrometheusReporterFactory;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user does with Vigil on an existing Flink cluster, for real: the shaded job jar that the
 * build packages ({@code target/vigil.jar}) is submitted to a multi-process Flink session cluster,
 * once through the REST API ({@code POST /jars/upload}, {@code POST /jars/{id}/run}, as the web UI
 * does) and once with Flink's command line ({@code flink run -d -c … vigil.jar job …}), and runs
 * the long-running {@code job} subcommand against a real Kafka broker (KRaft, in this JVM).
 *
 * <p>The cluster and the command-line job are configured exactly as {@code
 * samples/deploy/k8s/flink-deployment.yaml} deploys the job ({@link FlinkDeploymentManifest}: its
 * {@code flinkConfiguration}, slots per TaskManager, parallelism and job arguments, with only the
 * broker, the object store, Kubernetes HA and the reporter's port made local), so a change to the
 * manifest that breaks the job fails this test; the job is then checked to checkpoint with the
 * manifest's state backend and to serve its per-rule metrics through the manifest's reporter.
 *
 * <p>The JobManager and TaskManager JVMs have only what a Flink distribution's {@code lib/} holds
 * on their classpath (the allow-list in this module's pom): Vigil's code, flink-cep, the Kafka
 * connector and the Kafka client can only come from the submitted jar. Sample rules are published
 * to the control topic while the first job runs, sample events to their stream's topic; each job's
 * alerts topic, read read_committed, must then hold exactly the alerts that {@code vigil run} gives
 * for the same rules and events, each once. Finally both jobs are cancelled through the REST API,
 * and the cluster stays up.
 *
 * <p>An integration test (failsafe, after {@code package}): the jar exists only then.
 */
class ShadedJarOnSessionClusterIT {

  private static final Path JAR = Path.of(System.getProperty("vigil.jar", "target/vigil.jar"));
  private static final Path CLUSTER_CLASSPATH =
      Path.of(
          System.getProperty(
              "vigil.flink-session-cluster.classpath", "target/flink-session-cluster.classpath"));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PATIENCE = Duration.ofMinutes(2);

  @TempDir Path dir;

  @Test
  void theShadedJarRunsTheKafkaJobOnASessionClusterThatHasOnlyFlinkOnItsClasspath()
      throws Exception {
    String classpath = Files.readString(CLUSTER_CLASSPATH).trim();
    assertThatOnlyFlinkIsOn(classpath);
    String entryClass = mainClassOf(JAR);
    assertThat(entryClass).isEqualTo(VigilMain.class.getName());

    // The sample IoT rules on the `readings` stream, and the sample IoT events of that stream.
    Path iot = Samples.dir().resolve("iot");
    List<RuleCommand> sampleRules =
        RuleSources.commands(
            RuleFiles.read(
                List.of(
                    Samples.dir().resolve("streams.vgl"),
                    iot.resolve("device_silent.vgl"),
                    iot.resolve("flapping_sensor.vgl"),
                    iot.resolve("vibration_burst.vgl"))),
            1);
    Path readings = dir.resolve("readings.jsonl");
    Files.write(
        readings,
        Files.readAllLines(Samples.dir().resolve("events").resolve("iot.jsonl")).stream()
            .filter(line -> line.startsWith("{\"stream\":\"readings\""))
            .toList());

    // The expectation: the same rules and events through `vigil run` (embedded, bounded),
    // computed while the cluster starts and the job is submitted.
    CompletableFuture<CollectedReplay> embedded =
        CompletableFuture.supplyAsync(
            () -> embeddedReplay(sampleRules, readings),
            runnable -> {
              Thread thread = new Thread(runnable, "embedded-replay");
              thread.setDaemon(true);
              thread.start();
            });

    // The cluster runs with the Flink configuration the Kubernetes manifest sets (RocksDB,
    // incremental checkpoints, retained checkpoints, the Prometheus reporter as a plugin…), with
    // as many TaskManagers of its slots as the manifest's job needs, plus one for the REST job.
    FlinkDeploymentManifest manifest = FlinkDeploymentManifest.read();
    Path objectStore = dir.resolve("object-store");
    Map<String, String> configuration = manifest.localConfiguration(objectStore);
    int restJobTaskManagers =
        (2 + manifest.slotsPerTaskManager() - 1) / manifest.slotsPerTaskManager();
    try (FlinkSessionCluster cluster =
            FlinkSessionCluster.start(
                dir.resolve("flink"),
                classpath,
                manifest.taskManagers() + restJobTaskManagers,
                configuration,
                Map.of("metrics-prometheus", jarOf(PrometheusReporterFactory.class)));
        KafkaBroker kafka = KafkaBroker.builder().partitions(2).noAutoCreatedTopics().start();
        KafkaBroker.Reader statuses = kafka.reader("vigil.rule-status");
        KafkaBroker.Reader late = kafka.reader("vigil.late");
        KafkaBroker.Reader deadLetters = kafka.reader("vigil.dead-letter")) {
      kafka.createTopics(
          "vigil.rules",
          "vigil.rule-status",
          "vigil.alerts",
          "vigil.alerts.rest",
          "vigil.late",
          "vigil.dead-letter",
          "vigil.events.readings");
      cluster.awaitTaskManagers();

      // 1. Through the REST API, as the web UI or `curl` do: upload the jar, run its main.
      String jarId = upload(cluster, JAR);
      String restJob =
          run(cluster, jarId, entryClass, jobArguments(kafka, "vigil.alerts.rest", "vigil-rest"));
      cluster.awaitOrExplain(
          "job " + restJob + " runs", PATIENCE, () -> state(cluster, restJob).equals("RUNNING"));

      // Rules are published while the job runs (hot reload), active for the sample's past events.
      for (RuleCommand command : sampleRules) {
        RuleCommand published = command;
        if (command instanceof RuleCommand.UpsertRule u) {
          published = new RuleCommand.UpsertRule(u.ruleId(), u.version(), u.source(), 0, false);
        }
        kafka.send("vigil.rules", published.topicKey(), ControlJson.write(published));
      }
      List<String> ruleIds =
          sampleRules.stream()
              .filter(c -> c instanceof RuleCommand.UpsertRule)
              .map(RuleCommand::topicKey)
              .toList();
      cluster.awaitOrExplain(
          "every sample rule is ACTIVE on both matcher subtasks: " + ruleIds,
          PATIENCE,
          () -> ruleIds.stream().allMatch(id -> activeSubtasks(statuses, id).equals(Set.of(0, 1))));

      // The sample is history published in one burst, in file order, one stream: this job learnt
      // its rules after it started, so event time does not wait for a stream it has not seen yet
      // (see docs/runtime.md, watermarks), and a second stream fetched in a later batch could find
      // the watermark past its events, which `vigil run` (one reader) never sees.
      Instant last = publishInOrder(kafka, readings);
      // Then past every window (the longest is 30 min), as the end of the file does for `vigil
      // run`.
      // Event time stops there, so the partial matches this event starts never complete.
      kafka.send(
          "vigil.events.readings",
          0,
          "clock",
          """
          {"eventId":"clock","deviceId":"clock","site":"none","temperature":50.0,"vibration":0.0,\
          "ts":"%s"}"""
              .formatted(last.plus(Duration.ofHours(1))));

      // 2. Through Flink's command line, `flink run -d -p N -c … vigil.jar ARGS`, in a client JVM,
      // with exactly the parallelism and arguments of the Kubernetes manifest (its broker and
      // object store made local): a second job, beside the first, on the same rules and events (in
      // the topics already: here the rules are the job's initial rule set), writing its alerts to
      // the default topic.
      String output =
          cluster.flink(
              Stream.concat(
                      Stream.of(
                          "run",
                          "--detached",
                          "--parallelism",
                          Integer.toString(manifest.parallelism()),
                          "--class",
                          entryClass,
                          JAR.toString()),
                      manifest.localJobArguments(objectStore, kafka.servers()).stream())
                  .toList());
      Matcher submitted = Pattern.compile("JobID ([0-9a-f]{32})").matcher(output);
      assertThat(submitted.find()).as(output).isTrue();
      String cliJob = submitted.group(1);

      // Both give exactly the alerts of `vigil run`, each once; nothing is late or dead-lettered.
      CollectedReplay expected = embedded.get();
      assertThat(expected.alerts()).as("the sample replay raises alerts").hasSizeGreaterThan(5);
      assertThat(expected.late() + expected.deadLetters()).isZero();
      assertThatEachTopicHoldsTheAlertsOf(
          expected, List.of("vigil.alerts.rest", "vigil.alerts"), kafka, cluster);
      assertThat(late.values()).as("late events").isEmpty();
      assertThat(deadLetters.values()).as("dead letters").isEmpty();

      // The manifest's job checkpoints with RocksDB, as configured, and its per-rule metrics reach
      // the Prometheus reporter the manifest configures.
      cluster.awaitOrExplain(
          "a checkpoint of the manifest's job completes",
          PATIENCE,
          () ->
              cluster
                      .get("/jobs/" + cliJob + "/checkpoints")
                      .path("counts")
                      .path("completed")
                      .asInt()
                  > 0);
      assertThat(
              cluster.get("/jobs/" + cliJob + "/checkpoints/config").path("state_backend").asText())
          .isEqualTo("EmbeddedRocksDBStateBackend");
      assertThat(cluster.get("/jobs/" + cliJob).path("vertices").findValues("parallelism"))
          .extracting(JsonNode::asInt)
          .contains(manifest.parallelism());
      String reporterPorts = configuration.get("metrics.reporter.prom.port");
      cluster.awaitOrExplain(
          "the Prometheus reporter serves the rules' metrics on " + reporterPorts,
          PATIENCE,
          () -> scrape(reporterPorts).contains("flink_taskmanager_job_task_operator_rule_matches"));

      cancel(cluster, List.of(restJob, cliJob));
      // The JobManager outlived the jobs whose main methods it ran.
      assertThat(cluster.get("/overview").path("taskmanagers").asInt())
          .isEqualTo(manifest.taskManagers() + restJobTaskManagers);
    }
  }

  /** The {@code job} subcommand and its options; everything else keeps its default. */
  private List<String> jobArguments(KafkaBroker kafka, String alertsTopic, String groupId) {
    return List.of(
        "job",
        "--kafka.bootstrap-servers",
        kafka.servers(),
        "--kafka.group-id",
        groupId,
        "--topics.alerts",
        alertsTopic,
        "--parallelism",
        "2",
        "--checkpoint.interval",
        "1s",
        "--checkpoint.dir",
        dir.resolve("checkpoints-" + groupId).toUri().toString(),
        "--events.starting-offsets",
        "earliest",
        // The router subtask that reads no event partition stops holding event time back.
        "--events.idleness",
        "5s",
        "--kafka.transaction-timeout",
        "1m");
  }

  /**
   * Each alerts topic, read read_committed, holds exactly the alerts of the embedded replay, each
   * once.
   */
  private static void assertThatEachTopicHoldsTheAlertsOf(
      CollectedReplay expected, List<String> topics, KafkaBroker kafka, FlinkSessionCluster cluster)
      throws Exception {
    Set<String> expectedIds =
        expected.alerts().stream().map(Alert::alertId).collect(Collectors.toSet());
    Map<String, KafkaBroker.Reader> readers = new LinkedHashMap<>();
    try {
      topics.forEach(topic -> readers.put(topic, kafka.reader(topic)));
      boolean complete =
          cluster.waitUntil(
              PATIENCE,
              () ->
                  readers.values().stream()
                      .allMatch(alerts -> alertIds(alerts).containsAll(expectedIds)));
      if (complete) {
        // Two more checkpoints (alerts commit with them): no alert beyond the expected ones
        // follows.
        Thread.sleep(2_000);
      }
      for (Map.Entry<String, KafkaBroker.Reader> topic : readers.entrySet()) {
        assertThat(topic.getValue().values().stream().map(AlertJson::read).toList())
            .as(
                () ->
                    "alerts on "
                        + topic.getKey()
                        + " against the embedded replay's"
                        + cluster.logs())
            .extracting(Alert::alertId)
            .doesNotHaveDuplicates()
            .containsExactlyInAnyOrderElementsOf(expectedIds);
      }
    } finally {
      readers.values().forEach(KafkaBroker.Reader::close);
    }
  }

  /** {@code PATCH /jobs/{id}?mode=cancel} for each job, then each job reaches CANCELED. */
  private static void cancel(FlinkSessionCluster cluster, List<String> jobIds) throws Exception {
    for (String jobId : jobIds) {
      cluster.send(
          HttpRequest.newBuilder(cluster.rest().resolve("/jobs/" + jobId + "?mode=cancel"))
              .method("PATCH", HttpRequest.BodyPublishers.noBody())
              .build());
    }
    for (String jobId : jobIds) {
      cluster.awaitOrExplain(
          "job " + jobId + " is CANCELED",
          PATIENCE,
          () -> state(cluster, jobId).equals("CANCELED"));
    }
  }

  /**
   * The cluster's classpath has Flink's runtime, web submission and DataStream API, and none of
   * what the job jar must bring itself: the test cannot pass because of a class the jar lacks.
   */
  private static void assertThatOnlyFlinkIsOn(String classpath) throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : classpath.split(File.pathSeparator)) {
      urls.add(Path.of(entry).toUri().toURL());
    }
    try (URLClassLoader cluster =
        new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      for (String present :
          List.of(
              "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
              "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
              "org.apache.flink.runtime.webmonitor.handlers.JarUploadHandler",
              "org.apache.flink.streaming.api.environment.StreamExecutionEnvironment",
              "org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend")) {
        assertThat(loadable(cluster, present)).as("%s on the cluster", present).isTrue();
      }
      for (String absent :
          List.of(
              VigilMain.class.getName(),
              "io.vigil.compiler.cli.VigilCli",
              "io.vigil.dsl.syntax.VigilParser",
              "org.apache.flink.cep.CEP",
              "org.apache.flink.connector.kafka.source.KafkaSource",
              "org.apache.flink.connector.base.source.reader.RecordEmitter",
              "org.apache.kafka.clients.consumer.KafkaConsumer",
              "picocli.CommandLine",
              "org.antlr.v4.runtime.Lexer",
              "com.fasterxml.jackson.databind.ObjectMapper")) {
        assertThat(loadable(cluster, absent)).as("%s on the cluster", absent).isFalse();
      }
    }
  }

  /** Every port of the range {@code from-to} that answers {@code GET /metrics}, concatenated. */
  private static String scrape(String range) throws Exception {
    String[] bounds = range.split("-");
    StringBuilder all = new StringBuilder();
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    for (int port = Integer.parseInt(bounds[0]); port <= Integer.parseInt(bounds[1]); port++) {
      try {
        all.append(
            http.send(
                    HttpRequest.newBuilder(
                            java.net.URI.create("http://localhost:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString())
                .body());
      } catch (java.io.IOException nothingThere) {
        // A port of the range no reporter took.
      }
    }
    return all.toString();
  }

  private static Path jarOf(Class<?> type) throws Exception {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static boolean loadable(ClassLoader loader, String className) {
    try {
      Class.forName(className, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static String mainClassOf(Path jar) throws Exception {
    assertThat(jar).as("the shaded jar (built at `package`)").isRegularFile();
    try (JarFile file = new JarFile(jar.toFile())) {
      return file.getManifest().getMainAttributes().getValue("Main-Class");
    }
  }

  /** {@code POST /jars/upload}, multipart, field {@code jarfile}; returns the jar's id. */
  private static String upload(FlinkSessionCluster cluster, Path jar) throws Exception {
    String boundary = "vigil-" + UUID.randomUUID();
    String head =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
            + jar.getFileName()
            + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n";
    String tail = "\r\n--" + boundary + "--\r\n";
    JsonNode answer =
        cluster.send(
            HttpRequest.newBuilder(cluster.rest().resolve("/jars/upload"))
                .timeout(PATIENCE)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(
                    HttpRequest.BodyPublishers.concat(
                        HttpRequest.BodyPublishers.ofString(head),
                        HttpRequest.BodyPublishers.ofFile(jar),
                        HttpRequest.BodyPublishers.ofString(tail)))
                .build());
    assertThat(answer.path("status").asText()).as(answer.toString()).isEqualTo("success");
    return Path.of(answer.path("filename").asText()).getFileName().toString();
  }

  /** {@code POST /jars/{id}/run}: the JobManager runs the jar's main; returns the job id. */
  private static String run(
      FlinkSessionCluster cluster, String jarId, String entryClass, List<String> args)
      throws Exception {
    String body =
        JSON.writeValueAsString(Map.of("entryClass", entryClass, "programArgsList", args));
    JsonNode answer =
        cluster.send(
            HttpRequest.newBuilder(cluster.rest().resolve("/jars/" + jarId + "/run"))
                .timeout(PATIENCE)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build());
    return answer.path("jobid").asText();
  }

  private static String state(FlinkSessionCluster cluster, String jobId) throws Exception {
    return cluster.get("/jobs/" + jobId).path("state").asText();
  }

  /** The matcher subtasks that acknowledged rule {@code ruleId} as ACTIVE. */
  private static Set<Integer> activeSubtasks(KafkaBroker.Reader statuses, String ruleId) {
    return statuses.values().stream()
        .map(ShadedJarOnSessionClusterIT::status)
        .filter(s -> s.ruleId().equals(ruleId) && s.state() == RuleStatus.State.ACTIVE)
        .map(RuleStatus::subtask)
        .collect(Collectors.toSet());
  }

  private static RuleStatus status(String json) {
    try {
      return ControlJson.readStatus(json);
    } catch (ControlJson.InvalidCommandException e) {
      throw new IllegalStateException(json, e);
    }
  }

  private static Set<String> alertIds(KafkaBroker.Reader alerts) {
    return alerts.values().stream()
        .map(AlertJson::read)
        .map(Alert::alertId)
        .collect(Collectors.toSet());
  }

  private static CollectedReplay embeddedReplay(List<RuleCommand> rules, Path events) {
    try {
      return CollectedReplay.of(rules, events, 2);
    } catch (Exception e) {
      throw new IllegalStateException("the embedded replay failed", e);
    }
  }

  /**
   * Each line {@code {"stream":…,"event":{…}}} of the events file to partition 0 of {@code
   * vigil.events.<stream>}, in file order; returns the latest event time.
   */
  private static Instant publishInOrder(KafkaBroker kafka, Path events) throws Exception {
    Instant last = Instant.EPOCH;
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (String line : Files.readAllLines(events)) {
      JsonNode node = JSON.readTree(line);
      JsonNode event = node.path("event");
      records.add(
          new ProducerRecord<>(
              "vigil.events." + node.path("stream").asText(),
              0,
              event.path("deviceId").asText(),
              event.toString()));
      Instant ts = Instant.parse(event.path("ts").asText());
      last = ts.isAfter(last) ? ts : last;
    }
    kafka.sendAll(records);
    return last;
  }
}
