import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.samples.demo.KafkaBroker;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The live job on Kafka against `vigil run` on the same events (see README.md): events produced to
 * `vigil.events.<stream>` beforehand, the rule pack deployed with `vigil deploy`, then `vigil job`
 * started in its own process; measured until every expected alert is visible to a read_committed
 * consumer of `vigil.alerts`.
 */
public final class LiveKafkaBenchmark {

  // Numbers stay as written (899.00 keeps its scale), as the job and `vigil run` read them.
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
          .build();
  private static final Pattern ALERT_ID = Pattern.compile("\"alertId\":\"([0-9a-f]+)\"");
  private static final Pattern LOG_TIME =
      Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d:\\d\\d[,.]\\d{3})");

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Path jar = Path.of(args[1]);
    List<String> javaOpts = List.of(args).subList(2, args.length);
    Path work = Files.createTempDirectory("vigil-live-bench");
    try (KafkaBroker kafka =
        KafkaBroker.start(work.resolve("kafka"), freePort(), freePort(), Duration.ofSeconds(120))) {
      String bootstrap = kafka.bootstrapServers();
      Set<String> streams = streams(dir.resolve("events.jsonl"));
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
        List<NewTopic> topics = new ArrayList<>();
        topics.add(
            new NewTopic("vigil.rules", 1, (short) 1).configs(Map.of("cleanup.policy", "compact")));
        for (String t :
            List.of("vigil.alerts", "vigil.rule-status", "vigil.rule-versions", "vigil.late",
                "vigil.dead-letter")) {
          topics.add(new NewTopic(t, 1, (short) 1));
        }
        for (String stream : streams) {
          topics.add(new NewTopic("vigil.events." + stream, 1, (short) 1));
        }
        admin.createTopics(topics).all().get();
      }
      // A deployed rule sees the events dated from its publication on: the events are moved to
      // start just after it.
      run(dir, "vigil-deploy.log", javaOpts, jar, "deploy", "--bootstrap-servers", bootstrap,
          "--rules", dir.resolve("pack").toString(), "--no-wait");
      long from = System.currentTimeMillis() + 1000;
      Path events = dir.resolve("live-events.jsonl");
      int count = movedWithFlushEvents(dir.resolve("events.jsonl"), events, from);

      // The same file through `vigil run`: the alerts the live job must give, and its time.
      Path expectedFile = dir.resolve("live-expected.jsonl");
      long runStart = System.nanoTime();
      // `vigil run` with the options `./vigil run` chooses for this file, and the job with those
      // `./vigil job` chooses (run.sh passes both), as a user gets them.
      List<String> runOpts = new ArrayList<>(javaOpts);
      runOpts.addAll(envWords("RUN_JAVA_OPTS"));
      run(dir, "vigil-run.log", runOpts, jar, "run", "--rules", dir.resolve("pack").toString(),
          "--events", events.toString(), "--out", expectedFile.toString());
      double runSeconds = (System.nanoTime() - runStart) / 1e9;
      Set<String> expected = new HashSet<>();
      for (String line : Files.readAllLines(expectedFile)) {
        // Alerts that need the last flush event's own deadlines: the live stream never ends.
        if (!line.contains("flush-2-")) {
          expected.add(alertId(line));
        }
      }
      produce(bootstrap, byStream(events));

      Path jobLog = dir.resolve("vigil-job.log");
      long jobStart = System.currentTimeMillis();
      List<String> jobOpts = new ArrayList<>(javaOpts);
      // Vigil's lines and the task switches, from which the moment the Kafka source starts reading
      // is taken; dated in full.
      jobOpts.add("-Dorg.slf4j.simpleLogger.log.org.apache.flink.runtime.taskmanager.Task=info");
      jobOpts.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd HH:mm:ss.SSS");
      // The job's JVM options (run.sh: those of `./vigil job`, or JOB_JAVA_OPTS when set).
      jobOpts.addAll(envWords("JOB_JAVA_OPTS"));
      List<String> jobArgs =
          new ArrayList<>(
              List.of("job", "--kafka.bootstrap-servers", bootstrap,
                  "--events.starting-offsets", "earliest",
                  "--alerts.delivery", System.getenv().getOrDefault("DELIVERY", "low-latency")));
      // Options of one's own for the job (e.g. another watermark interval).
      jobArgs.addAll(envWords("JOB_ARGS"));
      Process job =
          java(jobOpts, jar, jobArgs.toArray(String[]::new))
              .redirectErrorStream(true)
              .redirectOutput(jobLog.toFile())
              .start();
      long firstAlert = 0;
      long lastNeeded = 0;
      Set<String> seen = new HashSet<>();
      Set<String> extra = new HashSet<>();
      try (KafkaConsumer<String, String> alerts = committedReader(bootstrap)) {
        alerts.subscribe(List.of("vigil.alerts"));
        long deadline = System.currentTimeMillis() + Duration.ofMinutes(15).toMillis();
        Set<String> missing = new HashSet<>(expected);
        while (!missing.isEmpty() && System.currentTimeMillis() < deadline && job.isAlive()) {
          for (ConsumerRecord<String, String> r : alerts.poll(Duration.ofMillis(100))) {
            long now = System.currentTimeMillis();
            if (firstAlert == 0) {
              firstAlert = now;
            }
            String id = alertId(r.value());
            seen.add(id);
            if (missing.remove(id)) {
              lastNeeded = now;
            } else if (!expected.contains(id)) {
              extra.add(id);
            }
          }
        }
        // Alerts beyond the expected ones may still come: read for a while longer.
        long settle = System.currentTimeMillis() + 3000;
        while (System.currentTimeMillis() < settle) {
          for (ConsumerRecord<String, String> r : alerts.poll(Duration.ofMillis(100))) {
            String id = alertId(r.value());
            seen.add(id);
            if (!expected.contains(id)) {
              extra.add(id);
            }
          }
        }
        // Read while the job still runs: its threads' CPU from start to the last alert and after.
        String cpu = threadCpu(job.pid());
        job.destroy();
        job.waitFor();
        int missingCount = missing.size();
        long firstRead = firstSourceRunning(jobLog).orElse(jobStart);
        String report =
            String.format(
                "events=%d rules=%s%n"
                    + "vigil run (whole process): %.1f s, %.0f events/s, %d alerts%n"
                    + "vigil job (process start -> last expected alert read_committed): %.1f s,"
                    + " %.0f events/s%n"
                    + "vigil job (source running -> last expected alert): %.1f s, %.0f events/s"
                    + " (source running %s after process start)%n"
                    + "vigil job (first alert -> last expected alert): %.1f s%n"
                    + "alerts: %d expected, %d seen, %d missing, %d not given by vigil run%n"
                    + "vigil job CPU (s): %s%n",
                count,
                dir.getFileName(),
                runSeconds,
                count / runSeconds,
                expected.size(),
                (lastNeeded - jobStart) / 1e3,
                count * 1e3 / Math.max(1, lastNeeded - jobStart),
                (lastNeeded - firstRead) / 1e3,
                count * 1e3 / Math.max(1, lastNeeded - firstRead),
                firstRead == jobStart ? "unknown" : (firstRead - jobStart) + " ms",
                (lastNeeded - firstAlert) / 1e3,
                expected.size(),
                seen.size(),
                missingCount,
                extra.size(),
                cpu);
        System.out.print(report);
        Files.writeString(dir.resolve("live-result.txt"), report);
      }
    }
  }

  /** The thread groups a job's CPU is reported by: a prefix of the thread's name (15 characters). */
  private static final List<Map.Entry<String, String>> THREAD_GROUPS =
      List.of(
          Map.entry("vigil-matcher", "matcher"),
          Map.entry("vigil-router", "router"),
          Map.entry("Source: vigil-e", "events source"),
          Map.entry("Source Data Fet", "Kafka fetchers"),
          Map.entry("vigil-alerts", "alerts sink"),
          Map.entry("vigil-decision-", "DRL operators"),
          Map.entry("kafka-producer-", "Kafka producers"),
          Map.entry("C2 CompilerThre", "JIT"),
          Map.entry("C1 CompilerThre", "JIT"),
          Map.entry("GC Thread", "collector"),
          Map.entry("G1 ", "collector"),
          Map.entry("VM Thread", "collector"));

  /**
   * CPU seconds of the process's threads by group, from /proc (Linux; "unknown" elsewhere): the
   * job's process and its parts.
   */
  static String threadCpu(long pid) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    if (!Files.isDirectory(tasks)) {
      return "unknown";
    }
    Map<String, Double> byGroup = new LinkedHashMap<>();
    byGroup.put("process", 0.0);
    THREAD_GROUPS.forEach(g -> byGroup.put(g.getValue(), 0.0));
    byGroup.put("other", 0.0);
    double ticks = 100.0; // USER_HZ on Linux
    try (var threads = Files.list(tasks)) {
      for (Path task : (Iterable<Path>) threads::iterator) {
        try {
          String name = Files.readString(task.resolve("comm")).strip();
          String stat = Files.readString(task.resolve("stat"));
          // Fields after the name in parentheses: utime and stime are the 12th and 13th.
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          double seconds = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / ticks;
          String group =
              THREAD_GROUPS.stream()
                  .filter(g -> name.startsWith(g.getKey()))
                  .map(Map.Entry::getValue)
                  .findFirst()
                  .orElse("other");
          byGroup.merge(group, seconds, Double::sum);
          byGroup.merge("process", seconds, Double::sum);
        } catch (IOException | RuntimeException e) {
          // The thread ended while being read.
        }
      }
    } catch (IOException e) {
      return "unknown";
    }
    StringBuilder out = new StringBuilder();
    byGroup.forEach(
        (g, v) -> out.append(out.isEmpty() ? "" : ", ").append(String.format("%s %.1f", g, v)));
    return out.toString();
  }

  static Set<String> streams(Path events) throws IOException {
    Set<String> out = new java.util.LinkedHashSet<>();
    for (String line : (Iterable<String>) Files.lines(events)::iterator) {
      if (!line.isBlank()) {
        out.add(JSON.readTree(line).get("stream").asText());
      }
    }
    return out;
  }

  /**
   * The events, moved in event time so that the first is dated {@code from}, then per stream two
   * events dated 6 h and 12 h after the stream's last one: the first moves event time past every
   * window, so that deadlines pending at the end of the file come due in the live job as they do at
   * the end of `vigil run`; the second does the same for the first's own deadlines. Returns the
   * number of lines written.
   */
  static int movedWithFlushEvents(Path source, Path target, long from) throws IOException {
    Map<String, ObjectNode> last = new LinkedHashMap<>();
    int n = 0;
    long shift = Long.MIN_VALUE;
    try (BufferedWriter out = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
      for (String text : (Iterable<String>) Files.lines(source)::iterator) {
        if (text.isBlank()) {
          continue;
        }
        ObjectNode line = (ObjectNode) JSON.readTree(text);
        ObjectNode event = (ObjectNode) line.get("event");
        if (shift == Long.MIN_VALUE) {
          shift = from - millis(event.get("ts"));
        }
        move(event, shift);
        out.write(JSON.writeValueAsString(line));
        out.newLine();
        n++;
        last.put(line.get("stream").asText(), line);
      }
      for (int flush = 1; flush <= 2; flush++) {
        for (Map.Entry<String, ObjectNode> e : last.entrySet()) {
          ObjectNode line = e.getValue().deepCopy();
          ObjectNode event = (ObjectNode) line.get("event");
          move(event, Duration.ofHours(6L * flush).toMillis());
          event.put("eventId", "flush-" + flush + "-" + e.getKey());
          out.write(JSON.writeValueAsString(line));
          out.newLine();
          n++;
        }
      }
    }
    return n;
  }

  static long millis(JsonNode ts) {
    return ts.isNumber() ? ts.asLong() : Instant.parse(ts.asText()).toEpochMilli();
  }

  /** Moves the event's {@code ts} by {@code shift} ms, keeping its form (epoch ms or ISO-8601). */
  static void move(ObjectNode event, long shift) {
    JsonNode ts = event.get("ts");
    if (ts.isNumber()) {
      event.put("ts", ts.asLong() + shift);
    } else {
      event.put("ts", Instant.ofEpochMilli(millis(ts) + shift).toString());
    }
  }

  static Map<String, List<String>> byStream(Path events) throws IOException {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String line : (Iterable<String>) Files.lines(events)::iterator) {
      JsonNode node = JSON.readTree(line);
      out.computeIfAbsent(node.get("stream").asText(), s -> new ArrayList<>())
          .add(JSON.writeValueAsString(node.get("event")));
    }
    return out;
  }

  static void produce(String bootstrap, Map<String, List<String>> byStream) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("key.serializer", StringSerializer.class.getName());
    p.put("value.serializer", StringSerializer.class.getName());
    p.put("linger.ms", "20");
    p.put("batch.size", "262144");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      for (Map.Entry<String, List<String>> e : byStream.entrySet()) {
        for (String value : e.getValue()) {
          producer.send(new ProducerRecord<>("vigil.events." + e.getKey(), value));
        }
      }
      producer.flush();
    }
  }

  static KafkaConsumer<String, String> committedReader(String bootstrap) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("group.id", "live-bench-" + System.nanoTime());
    p.put("auto.offset.reset", "earliest");
    p.put("isolation.level", "read_committed");
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", StringDeserializer.class.getName());
    return new KafkaConsumer<>(p);
  }

  /** When the job's Kafka source task first ran, from its log; empty if the log does not say. */
  static java.util.Optional<Long> firstSourceRunning(Path log) throws IOException {
    for (String line : Files.readAllLines(log)) {
      if (line.contains("Source:") && line.contains("to RUNNING")) {
        Matcher m = LOG_TIME.matcher(line);
        if (m.find()) {
          String t = m.group(1).replace(' ', 'T').replace(',', '.');
          return java.util.Optional.of(
              java.time.LocalDateTime.parse(t)
                  .atZone(java.time.ZoneId.systemDefault())
                  .toInstant()
                  .toEpochMilli());
        }
      }
    }
    return java.util.Optional.empty();
  }

  static String alertId(String json) {
    Matcher m = ALERT_ID.matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("an alert without alertId: " + json);
    }
    return m.group(1);
  }

  /** The words of the environment variable {@code name} (none when it is unset or blank). */
  static List<String> envWords(String name) {
    String value = System.getenv().getOrDefault(name, "").trim();
    return value.isEmpty() ? List.of() : List.of(value.split("\\s+"));
  }

  static ProcessBuilder java(List<String> opts, Path jar, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(opts);
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd);
  }

  static void run(Path dir, String log, List<String> opts, Path jar, String... args)
      throws IOException, InterruptedException {
    Process p =
        java(opts, jar, args)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(log).toFile())
            .start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(
          "vigil " + args[0] + " failed; see " + dir.resolve(log));
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
