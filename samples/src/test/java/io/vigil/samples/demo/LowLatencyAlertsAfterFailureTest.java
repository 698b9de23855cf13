package io.vigil.samples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.vigil.runtime.control.ControlJson;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.job.JobConfig;
import io.vigil.runtime.job.VigilJob;
import io.vigil.runtime.source.EventRecord;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.embedded.RedisServer;

/**
 * {@code alerts.delivery=low-latency} across a task failure: a real KRaft broker, the job on a
 * Flink MiniCluster, the packaged alert service and a webhook receiver. No checkpoint completes
 * before the failure, so every alert written before it was visible before its checkpoint and is
 * written again by the restarted job, with the same alertId: the topic holds duplicates, the
 * receiver gets each alert once per {@code Idempotency-Key}.
 */
class LowLatencyAlertsAfterFailureTest {

  static final String STREAM =
      """
      stream orders
        time ts
        lateness 0s
        fields
          eventId: string
          k: string
          ts: timestamp
      """;
  static final String RULE =
      """
      rule every_order
        severity high
        from orders
        partition by k
        pattern
          e: k != "none"
        alert "ev {e.eventId}"
      """;
  static final Pattern EVENT = Pattern.compile("\"message\"\\s*:\\s*\"ev (\\d+)\"");
  static final int EVENTS = 200;

  /** Fails the first attempt of its task when it meets the BOOM event. */
  static final class FailOnce extends RichMapFunction<EventRecord, EventRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public EventRecord map(EventRecord event) {
      if (event.text().contains("BOOM")
          && getRuntimeContext().getTaskInfo().getAttemptNumber() == 0) {
        throw new IllegalStateException("injected failure");
      }
      return event;
    }
  }

  @Test
  void everyAlertIsNotifiedOnceAfterATaskFailureThoughTheTopicRepeatsSome(@TempDir Path dir)
      throws Exception {
    List<AutoCloseable> running = new ArrayList<>();
    try {
      KafkaBroker kafka =
          KafkaBroker.start(dir.resolve("kafka"), freePort(), freePort(), Duration.ofSeconds(90));
      running.add(kafka);
      String bootstrap = kafka.bootstrapServers();
      createTopics(bootstrap);
      int redisPort = freePort();
      RedisServer redis = new RedisServer(redisPort);
      redis.start();
      running.add(redis::stop);
      int smtpPort = freePort();
      GreenMail mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", "smtp"));
      mail.start();
      running.add(mail::stop);

      Set<String> keys = ConcurrentHashMap.newKeySet();
      Map<String, String> eventOfKey = new ConcurrentHashMap<>();
      AtomicInteger repeats = new AtomicInteger();
      AtomicInteger invalid = new AtomicInteger();
      WebhookReceiver receiver =
          WebhookReceiver.start(
              0,
              r -> {
                if (!r.signatureValid()) {
                  invalid.incrementAndGet();
                }
                if (r.duplicate()) {
                  repeats.incrementAndGet();
                }
                keys.add(r.idempotencyKey());
                Matcher m = EVENT.matcher(r.body());
                if (m.find()) {
                  eventOfKey.put(r.idempotencyKey(), m.group(1));
                }
              });
      running.add(receiver);
      int port = freePort();
      Path jar = Path.of("..", "alert-service", "target", "alert-service.jar");
      assertThat(jar).as("built by mvn -pl alert-service package").exists();
      DemoAlertService service =
          DemoAlertService.start(
              jar, dir, port, new DemoAlertService.Connections(bootstrap, redisPort, smtpPort));
      running.add(service);
      service.awaitHealthy(Duration.ofMinutes(6));
      Matcher secret =
          Pattern.compile("\"generatedSecret\"\\s*:\\s*\"([^\"]+)\"")
              .matcher(
                  service.post(
                      "/api/subscriptions",
                      "{\"name\":\"t\",\"type\":\"webhook\",\"enabled\":true,\"url\":\""
                          + receiver.url()
                          + "\",\"minSeverity\":\"medium\"}"));
      assertThat(secret.find()).isTrue();
      receiver.secret(secret.group(1));

      KafkaProducer<String, String> producer =
          new KafkaProducer<>(
              Map.of("bootstrap.servers", bootstrap),
              new StringSerializer(),
              new StringSerializer());
      running.add(producer);
      send(producer, new RuleCommand.DeclareStream("orders", 1, STREAM));
      send(producer, new RuleCommand.UpsertRule("every_order", 1, RULE, Long.MIN_VALUE, false));

      JobConfig config =
          JobConfig.defaults()
              .with(
                  Map.of(
                      "kafka.bootstrap-servers", bootstrap,
                      "alerts.delivery", "low-latency",
                      // No checkpoint before the failure: the restart replays every alert.
                      "checkpoint.interval", "1h",
                      "checkpoint.dir", dir.resolve("checkpoints").toUri().toString(),
                      "events.starting-offsets", "earliest",
                      "events.idleness", "1s",
                      "parallelism", "2"));
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.getExecutionEnvironment(VigilJob.flinkConfiguration(config));
      VigilJob.build(
          env,
          config,
          VigilJob.readInitialRules(config),
          events -> events.map(new FailOnce()).name("fault-injection"));
      JobClient job = env.executeAsync("low-latency-failure");
      running.add(() -> job.cancel().get());

      long base = Instant.now().toEpochMilli();
      for (int i = 0; i < EVENTS / 2; i++) {
        event(producer, i, base + i);
      }
      // Event time past the first half on every partition (lateness 0: the last event of a
      // partition is evaluated once a later one has been read there).
      tail(producer, base + EVENTS / 2);
      await(() -> keys.size() >= EVENTS / 2, "the first half notified", dir);
      // The failure: a non-matching event (k "none") whose payload the injector recognises.
      producer.send(
          new ProducerRecord<>(
              "vigil.events.orders", "none", json("BOOM", "none", base + EVENTS / 2)));
      for (int i = EVENTS / 2; i < EVENTS; i++) {
        event(producer, i, base + i + 1);
      }
      tail(producer, base + EVENTS + 5_000);
      await(() -> keys.size() >= EVENTS, "every alert notified", dir);

      List<String> written = alertIdsOnTopic(bootstrap);
      int replayed = written.size() - (int) written.stream().distinct().count();
      System.out.printf(
          "alerts on the topic: %d records, %d distinct; visible before their checkpoint and"
              + " written again after the failure: %d; webhooks repeated to the receiver: %d%n",
          written.size(), written.stream().distinct().count(), replayed, repeats.get());
      assertThat(replayed).as("alerts the failed attempt had written, written again").isPositive();
      assertThat(Set.copyOf(written)).isEqualTo(keys);
      assertThat(keys).hasSize(EVENTS);
      assertThat(eventOfKey.values()).hasSize(EVENTS).doesNotHaveDuplicates();
      assertThat(invalid.get()).isZero();
    } finally {
      for (int i = running.size() - 1; i >= 0; i--) {
        try {
          running.get(i).close();
        } catch (Exception e) {
          // Stopping what is already stopped.
        }
      }
    }
  }

  /** A non-matching event at {@code ts} on every partition: event time reaches {@code ts}. */
  private static void tail(KafkaProducer<String, String> producer, long ts) {
    for (int p = 0; p < 2; p++) {
      producer.send(
          new ProducerRecord<>("vigil.events.orders", p, "none", json("tail", "none", ts)));
    }
    producer.flush();
  }

  private static void event(KafkaProducer<String, String> producer, int i, long ts) {
    String key = "k" + (i % 10);
    producer.send(
        new ProducerRecord<>("vigil.events.orders", key, json(Integer.toString(i), key, ts)));
    producer.flush();
  }

  private static String json(String id, String key, long ts) {
    return "{\"eventId\":\"%s\",\"k\":\"%s\",\"ts\":\"%s\"}"
        .formatted(id, key, Instant.ofEpochMilli(ts));
  }

  private static List<String> alertIdsOnTopic(String bootstrap) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("group.id", "alert-id-reader");
    props.put("auto.offset.reset", "earliest");
    props.put("isolation.level", "read_uncommitted");
    Pattern alertId = Pattern.compile("\"alertId\"\\s*:\\s*\"([^\"]+)\"");
    List<String> ids = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of("vigil.alerts"));
      int emptyPolls = 0;
      while (emptyPolls < 5) {
        var records = consumer.poll(Duration.ofMillis(500));
        emptyPolls = records.isEmpty() ? emptyPolls + 1 : 0;
        for (ConsumerRecord<String, String> r : records) {
          Matcher m = alertId.matcher(r.value());
          if (m.find()) {
            ids.add(m.group(1));
          }
        }
      }
    }
    return ids;
  }

  private static void send(KafkaProducer<String, String> producer, RuleCommand command)
      throws Exception {
    producer
        .send(new ProducerRecord<>("vigil.rules", command.topicKey(), ControlJson.write(command)))
        .get();
  }

  private static void createTopics(String bootstrap) throws Exception {
    try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
      List<NewTopic> topics = new ArrayList<>();
      topics.add(
          new NewTopic("vigil.rules", 1, (short) 1).configs(Map.of("cleanup.policy", "compact")));
      for (String t :
          List.of(
              "vigil.alerts",
              "vigil.alerts.dlt",
              "vigil.rule-status",
              "vigil.late",
              "vigil.dead-letter",
              "vigil.events.orders")) {
        topics.add(new NewTopic(t, 2, (short) 1));
      }
      admin.createTopics(topics).all().get();
    }
  }

  @FunctionalInterface
  interface Check {
    boolean done() throws Exception;
  }

  /** Waits for {@code check}, failing after six minutes (a hang, not a speed bound). */
  private static void await(Check check, String what, Path dir) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos();
    while (!check.done()) {
      if (System.nanoTime() > deadline) {
        Path log = dir.resolve("alert-service.log");
        throw new AssertionError(
            "not reached: "
                + what
                + (Files.exists(log) ? "; alert service log tail: " + tail(log) : ""));
      }
      Thread.sleep(200);
    }
  }

  private static String tail(Path log) throws IOException {
    String text = Files.readString(log);
    return text.substring(Math.max(0, text.length() - 3000));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
