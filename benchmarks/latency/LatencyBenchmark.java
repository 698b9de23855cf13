import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.vigil.runtime.control.ControlJson;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.job.JobConfig;
import io.vigil.runtime.job.VigilJob;
import io.vigil.samples.demo.KafkaBroker;
import io.vigil.samples.demo.WebhookReceiver;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import redis.embedded.RedisServer;

/**
 * End-to-end alert latency (not a test): event produced → alert written (read_uncommitted) →
 * alert readable read_committed → webhook received, plus detection (alert detectedAt − event time)
 * and hot reload (publish of a new rule version → its first alert). The live job ({@link
 * VigilJob#build}, the code of {@code vigil job}) runs on a Flink MiniCluster in this JVM against a
 * KRaft broker in a child process; the packaged alert service runs in its own JVM with Redis and
 * GreenMail; the webhook receiver is a JDK HttpServer. See benchmarks/latency/README.md.
 *
 * <p>Arguments: {@code [seconds per rate] [rates] [configurations]}, e.g. {@code 20 100,300,1000
 * exactly-once:10s:200ms,low-latency:2s:20ms} (delivery:checkpoint interval:watermark interval).
 */
public class LatencyBenchmark {
  private static final String TOKEN = "bench-token-0123456789";
  private static final String SECRET_KEY = "YmVuY2gtc2VjcmV0LWtleS0wMTIzNDU2Nzg5MDEyMzQ=";
  private static final Pattern EVENT = Pattern.compile("\"message\"\\s*:\\s*\"ev (\\d+)\"");
  private static final Pattern HOOK = Pattern.compile("\"message\"\\s*:\\s*\"hook (\\d+)\"");
  private static final Pattern PROBE = Pattern.compile("\"message\":\"probe v(\\d+) ");
  private static final Pattern DETECTED = Pattern.compile("\"detectedAt\":\"([^\"]+)\"");

  static final String STREAM =
      """
      stream bench
        time ts
        lateness 0s
        fields
          eventId: string
          k: string
          ts: timestamp
      """;
  static final String EVERY =
      """
      rule every
        severity low
        from bench
        partition by k
        pattern
          e: k != "none"
        alert "ev {e.eventId}"
      """;

  /** One key in 100 also raises a high-severity alert, the one the webhook subscription wants. */
  static final String SAMPLED =
      """
      rule sampled
        severity high
        from bench
        partition by k
        pattern
          e: k == "k0"
        alert "hook {e.eventId}"
      """;

  static String probe(long version) {
    return """
        rule probe
          severity low
          from bench
          partition by k
          pattern
            e: k != "v%d"
          alert "probe v%d {e.eventId}"
        """
        .formatted(version, version);
  }

  /** Per event id: production time, first sighting uncommitted, committed, webhook; detectedAt. */
  static final Map<Long, long[]> TIMES = new ConcurrentHashMap<>();

  static final int PRODUCED = 0, UNCOMMITTED = 1, COMMITTED = 2, WEBHOOK = 3, DETECTED_AT = 4;
  static final int MEASURED = 5, READ_AT = 6, PARTITION = 7;
  static final Pattern EVENT_ID = Pattern.compile("\"eventId\":\"(\\d+)\"");

  /**
   * Records when the job's Kafka source handed each event on, and from which partition: the
   * watermark (lateness 0) can pass an event once every partition has handed on a later one.
   * Chained to the source in this JVM, so the static map is shared with the harness.
   */
  static final class ReadAt
      implements org.apache.flink.api.common.functions.MapFunction<
          io.vigil.runtime.source.EventRecord, io.vigil.runtime.source.EventRecord> {
    @Override
    public io.vigil.runtime.source.EventRecord map(io.vigil.runtime.source.EventRecord e) {
      Matcher m = EVENT_ID.matcher(e.text());
      if (m.find()) {
        long[] t = TIMES.get(Long.parseLong(m.group(1)));
        if (t != null && t[READ_AT] == 0) {
          t[PARTITION] = e.partition();
          t[READ_AT] = System.currentTimeMillis();
        }
      }
      return e;
    }
  }
  /** The latest event → uncommitted alert latency seen (warm-up ends when it is small). */
  static final java.util.concurrent.atomic.AtomicLong LAST_LATENCY =
      new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
  static final java.util.concurrent.atomic.AtomicLong LAST_HOOK_LATENCY =
      new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
  /** Per probe version: publish time, first alert seen uncommitted. */
  static final Map<Long, long[]> PROBES = new ConcurrentHashMap<>();

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int[] rates =
        Arrays.stream((args.length > 1 ? args[1] : "100,300,1000").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    String[] configs =
        (args.length > 2
                ? args[2]
                : "exactly-once:10s:200ms,exactly-once:2s:200ms,low-latency:2s:200ms,low-latency:2s:20ms")
            .split(",");
    Path work = Files.createTempDirectory("vigil-latency-bench");
    Path out = Path.of("benchmarks/latency/target");
    Files.createDirectories(out);
    List<AutoCloseable> running = new ArrayList<>();
    StringBuilder report = new StringBuilder();
    try {
      KafkaBroker kafka =
          KafkaBroker.start(
              work.resolve("kafka"), freePort(), freePort(), Duration.ofSeconds(90));
      running.add(kafka);
      String bootstrap = kafka.bootstrapServers();
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
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
                "vigil.events.bench")) {
          topics.add(new NewTopic(t, 2, (short) 1));
        }
        admin.createTopics(topics).all().get();
      }
      int redisPort = freePort();
      RedisServer redis = new RedisServer(redisPort);
      redis.start();
      running.add(redis::stop);
      int smtpPort = freePort();
      GreenMail mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", "smtp"));
      mail.start();
      running.add(mail::stop);
      WebhookReceiver receiver =
          WebhookReceiver.start(
              0,
              r -> {
                long now = System.currentTimeMillis();
                Matcher m = HOOK.matcher(r.body());
                if (!r.duplicate() && m.find()) {
                  long[] t = TIMES.get(Long.parseLong(m.group(1)));
                  if (t != null && t[WEBHOOK] == 0) {
                    t[WEBHOOK] = now;
                    LAST_HOOK_LATENCY.set(now - t[PRODUCED]);
                  }
                }
              });
      running.add(receiver);
      int httpPort = freePort();
      Process service = startAlertService(bootstrap, redisPort, smtpPort, httpPort, out);
      running.add(
          () -> {
            service.destroy();
            service.waitFor();
          });
      awaitHealthy(httpPort);
      String created =
          post(
              httpPort,
              "/api/subscriptions",
              "{\"name\":\"bench\",\"type\":\"webhook\",\"enabled\":true,\"url\":\""
                  + receiver.url()
                  + "\",\"minSeverity\":\"medium\"}");
      Matcher secret = Pattern.compile("\"generatedSecret\":\"([^\"]+)\"").matcher(created);
      if (secret.find()) {
        receiver.secret(secret.group(1));
      }
      AtomicBoolean stop = new AtomicBoolean();
      Thread uncommitted = reader(bootstrap, "read_uncommitted", UNCOMMITTED, stop);
      Thread committed = reader(bootstrap, "read_committed", COMMITTED, stop);
      running.add(
          () -> {
            stop.set(true);
            uncommitted.join();
            committed.join();
          });

      KafkaProducer<String, String> producer = producer(bootstrap);
      running.add(producer);
      send(producer, "vigil.rules", new RuleCommand.DeclareStream("bench", 1, STREAM));
      send(producer, "vigil.rules", new RuleCommand.UpsertRule("every", 1, EVERY, Long.MIN_VALUE, false));
      send(
          producer,
          "vigil.rules",
          new RuleCommand.UpsertRule("sampled", 1, SAMPLED, Long.MIN_VALUE, false));
      long probeVersion = 1;
      send(
          producer,
          "vigil.rules",
          new RuleCommand.UpsertRule("probe", probeVersion, probe(probeVersion), Long.MIN_VALUE, false));

      String header =
          String.format(
              "%-24s %5s | %-22s | %-22s | %-30s | %-22s | %-22s | %-22s | %-26s | %s%n",
              "delivery:checkpoint:wm",
              "ev/s",
              "detection p50/p99/max",
              "after the watermark",
              "after the wm, while reloading",
              "→ written (uncommitted)",
              "→ read_committed",
              "→ webhook (1 key in 100)",
              "hot reload → 1st alert",
              "alerts/webhooks of events");
      System.out.print(header);
      report.append(header);
      long id = 0;
      int config = 0;
      for (String c : configs) {
        String[] parts = c.split(":");
        JobConfig jobConfig =
            JobConfig.defaults()
                .with(
                    Map.of(
                        "kafka.bootstrap-servers", bootstrap,
                        "alerts.delivery", parts[0],
                        "checkpoint.interval", parts[1],
                        "events.watermark-interval", parts[2],
                        "network.buffer-timeout", parts.length > 3 ? parts[3] : "100ms",
                        "checkpoint.dir", work.resolve("checkpoints").toUri().toString(),
                        "events.starting-offsets", "latest",
                        "kafka.group-id", "bench-" + config++,
                        "kafka.topic-discovery-interval", "2s"));
        StreamExecutionEnvironment env =
            StreamExecutionEnvironment.getExecutionEnvironment(
                VigilJob.flinkConfiguration(jobConfig));
        VigilJob.build(
            env,
            jobConfig,
            VigilJob.readInitialRules(jobConfig),
            events -> events.map(new ReadAt()).name("bench-read-at"));
        JobClient job = env.executeAsync("vigil-latency-bench");
        long checkpointMs =
            parts[0].equals("exactly-once") ? JobConfig.parseDuration(parts[1]).toMillis() : 0;
        try {
          for (int rate : rates) {
            TIMES.clear();
            PROBES.clear();
            // Warm-up: at least 5 s, and until the job keeps up (an alert seen within 1 s of its
            // event): a job still starting, or catching up, is not what is measured.
            long warmUpEnd = Long.MAX_VALUE;
            long end = Long.MAX_VALUE;
            long warmUpAtLeast = System.currentTimeMillis() + 5_000;
            long giveUp = System.currentTimeMillis() + 180_000;
            long start = System.nanoTime();
            long nextReload = Long.MAX_VALUE;
            long sent = 0;
            LAST_LATENCY.set(Long.MAX_VALUE);
            LAST_HOOK_LATENCY.set(Long.MAX_VALUE);
            while (System.currentTimeMillis() < end) {
              if (warmUpEnd == Long.MAX_VALUE) {
                long now = System.currentTimeMillis();
                if (now > giveUp) {
                  throw new IllegalStateException("the job did not keep up with " + rate + "/s");
                }
                if (now >= warmUpAtLeast
                    && LAST_LATENCY.get() < 1_000
                    && LAST_HOOK_LATENCY.get() < 1_000 + checkpointMs) {
                  warmUpEnd = now;
                  end = now + seconds * 1000L;
                  nextReload = now;
                }
              }
              long due = start + sent * 1_000_000_000L / rate;
              long wait = due - System.nanoTime();
              if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
              }
              long now = System.currentTimeMillis();
              if (now >= nextReload) {
                probeVersion++;
                long[] p = new long[2];
                PROBES.put(probeVersion, p);
                p[0] = System.currentTimeMillis();
                send(
                    producer,
                    "vigil.rules",
                    new RuleCommand.UpsertRule(
                        "probe", probeVersion, probe(probeVersion), Long.MIN_VALUE, false));
                nextReload = now + 2_000;
                now = System.currentTimeMillis();
              }
              long eventId = ++id;
              long[] t = new long[8];
              t[PRODUCED] = now;
              t[MEASURED] = now >= warmUpEnd ? 1 : 0;
              TIMES.put(eventId, t);
              String key = "k" + (eventId % 100);
              producer.send(
                  new ProducerRecord<>(
                      "vigil.events.bench",
                      key,
                      "{\"eventId\":\"%d\",\"k\":\"%s\",\"ts\":\"%s\"}"
                          .formatted(eventId, key, Instant.ofEpochMilli(now))));
              sent++;
            }
            // The last alerts: committed at most a checkpoint interval later, then delivered.
            Thread.sleep(
                JobConfig.parseDuration(parts[1]).toMillis() + 5_000);
            String line = String.format("%-24s %5d | %s%n", c, rate, figures(receiver));
            System.out.print(line);
            report.append(line);
          }
        } finally {
          job.cancel().get();
        }
      }
      Files.writeString(out.resolve("result.txt"), report.toString());
    } finally {
      for (int i = running.size() - 1; i >= 0; i--) {
        try {
          running.get(i).close();
        } catch (Exception e) {
          System.err.println("stopping: " + e);
        }
      }
    }
    System.exit(0);
  }

  static String figures(WebhookReceiver receiver) {
    List<long[]> all = TIMES.values().stream().filter(t -> t[MEASURED] == 1).toList();
    String detection = stats(all, DETECTED_AT);
    long[][] afterWatermark = afterWatermark();
    String afterWm = percentiles(afterWatermark[0]);
    String afterWmReload = percentiles(afterWatermark[1]) + " (" + afterWatermark[1].length + ")";
    String written = stats(all, UNCOMMITTED);
    String readCommitted = stats(all, COMMITTED);
    String webhook = stats(all, WEBHOOK);
    long[] reloads =
        PROBES.values().stream().filter(p -> p[1] > 0).mapToLong(p -> p[1] - p[0]).sorted().toArray();
    String reload = percentiles(reloads) + " (" + reloads.length + "/" + PROBES.size() + ")";
    long alerts = all.stream().filter(t -> t[UNCOMMITTED] > 0).count();
    long hooks = all.stream().filter(t -> t[WEBHOOK] > 0).count();
    return String.format(
        "%-22s | %-22s | %-30s | %-22s | %-22s | %-22s | %-26s | %d/%d of %d",
        detection,
        afterWm,
        afterWmReload,
        written,
        readCommitted,
        webhook,
        reload,
        alerts,
        hooks,
        all.size());
  }

  /**
   * Detection measured from the watermark: the alert's {@code detectedAt} − the moment the
   * watermark could pass the event, i.e. when the job's source had handed on, on every partition,
   * an event dated after it (lateness 0). What remains is the watermark interval, the network hops
   * source → router → matcher and the matching. [0]: every measured event; [1]: those sent within
   * 1 s after a probe version was published (rules being reloaded).
   */
  static long[][] afterWatermark() {
    List<long[]> events =
        TIMES.values().stream()
            .filter(t -> t[READ_AT] > 0)
            .sorted(java.util.Comparator.comparingLong(t -> t[PRODUCED]))
            .toList();
    int partitions = 2;
    List<List<long[]>> byPartition = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      int partition = p;
      byPartition.add(events.stream().filter(t -> t[PARTITION] == partition).toList());
    }
    List<Long> publishes = PROBES.values().stream().map(v -> v[0]).sorted().toList();
    List<Long> all = new ArrayList<>();
    List<Long> reloading = new ArrayList<>();
    int[] next = new int[partitions];
    for (long[] e : events) {
      if (e[MEASURED] != 1 || e[DETECTED_AT] == 0) {
        continue;
      }
      long passable = 0;
      for (int p = 0; p < partitions; p++) {
        List<long[]> on = byPartition.get(p);
        while (next[p] < on.size() && on.get(next[p])[PRODUCED] <= e[PRODUCED]) {
          next[p]++;
        }
        if (next[p] == on.size()) {
          passable = -1;
          break;
        }
        // Read times on one partition follow its order; the first later event is the earliest.
        passable = Math.max(passable, on.get(next[p])[READ_AT]);
      }
      if (passable < 0) {
        continue;
      }
      long latency = e[DETECTED_AT] - passable;
      all.add(latency);
      if (publishes.stream().anyMatch(at -> e[PRODUCED] >= at && e[PRODUCED] < at + 1_000)) {
        reloading.add(latency);
      }
    }
    return new long[][] {
      all.stream().mapToLong(Long::longValue).sorted().toArray(),
      reloading.stream().mapToLong(Long::longValue).sorted().toArray()
    };
  }

  static String stats(List<long[]> all, int column) {
    return percentiles(
        all.stream()
            .filter(t -> t[column] > 0)
            .mapToLong(t -> t[column] - t[PRODUCED])
            .sorted()
            .toArray());
  }

  static String percentiles(long[] sorted) {
    if (sorted.length == 0) {
      return "-";
    }
    return sorted[(int) (sorted.length * 0.50)]
        + "/"
        + sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))]
        + "/"
        + sorted[sorted.length - 1]
        + " ms";
  }

  static Thread reader(String bootstrap, String isolation, int column, AtomicBoolean stop) {
    Thread thread =
        new Thread(
            () -> {
              Properties props = new Properties();
              props.put("bootstrap.servers", bootstrap);
              props.put("group.id", "bench-" + isolation);
              props.put("isolation.level", isolation);
              props.put("auto.offset.reset", "latest");
              props.put("fetch.max.wait.ms", "50");
              try (KafkaConsumer<String, String> consumer =
                  new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("vigil.alerts"));
                while (!stop.get()) {
                  for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.currentTimeMillis();
                    Matcher m = EVENT.matcher(r.value());
                    if (m.find()) {
                      long[] t = TIMES.get(Long.parseLong(m.group(1)));
                      if (t != null && t[column] == 0) {
                        t[column] = now;
                        if (column == UNCOMMITTED) {
                          LAST_LATENCY.set(now - t[PRODUCED]);
                        }
                        Matcher d = DETECTED.matcher(r.value());
                        if (d.find()) {
                          t[DETECTED_AT] = Instant.parse(d.group(1)).toEpochMilli();
                        }
                      }
                    } else if (column == UNCOMMITTED) {
                      Matcher p = PROBE.matcher(r.value());
                      if (p.find()) {
                        long[] v = PROBES.get(Long.parseLong(p.group(1)));
                        if (v != null && v[1] == 0) {
                          v[1] = now;
                        }
                      }
                    }
                  }
                }
              }
            },
            "alerts-" + isolation);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  static KafkaProducer<String, String> producer(String bootstrap) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("linger.ms", "0");
    return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }

  static void send(KafkaProducer<String, String> producer, String topic, RuleCommand command)
      throws Exception {
    producer.send(new ProducerRecord<>(topic, command.topicKey(), ControlJson.write(command))).get();
  }

  static Process startAlertService(
      String bootstrap, int redisPort, int smtpPort, int port, Path out) throws IOException {
    Path jar = Path.of("alert-service/target/alert-service.jar");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-jar",
                jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(out.resolve("service.log").toFile());
    Map<String, String> env = pb.environment();
    env.put("VIGIL_KAFKA_BOOTSTRAP", bootstrap);
    env.put("VIGIL_REDIS_HOST", "localhost");
    env.put("VIGIL_REDIS_PORT", String.valueOf(redisPort));
    env.put("VIGIL_SMTP_HOST", "127.0.0.1");
    env.put("VIGIL_SMTP_PORT", String.valueOf(smtpPort));
    env.put("VIGIL_HTTP_PORT", String.valueOf(port));
    env.put("VIGIL_API_TOKEN", TOKEN);
    env.put("VIGIL_SECRETS_ACTIVEKEY", "bench");
    env.put("VIGIL_SECRETS_KEYS_BENCH", SECRET_KEY);
    env.put("VIGIL_WEBHOOK_ALLOWED_NETWORKS", "127.0.0.0/8");
    return pb.start();
  }

  static void awaitHealthy(int port) throws InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.currentTimeMillis() + 600_000;
    while (System.currentTimeMillis() < deadline) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the alert service did not become healthy; see service.log");
  }

  static String post(int port, String path, String body) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("Authorization", "Bearer " + TOKEN)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
