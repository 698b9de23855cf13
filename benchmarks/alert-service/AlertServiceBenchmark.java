import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.vigil.testing.kafka.KafkaBroker;
import java.io.IOException;
import java.net.InetSocketAddress;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import redis.embedded.RedisServer;

/**
 * Throughput of the alert service (not a test): alerts/s from Kafka to Redis plus one webhook,
 * with the packaged service ({@code java -jar alert-service/target/alert-service.jar}) in its own
 * JVM, configured only by environment variables (the same ones the demo passes). Around it, in this
 * JVM: an in-JVM KRaft broker, a redis-server process (the binary of org.signal:embedded-redis) and
 * a JDK HttpServer receiver. The baseline is XADD on the same redis-server in the same run:
 * redis-benchmark if it is on the PATH, and always a Lettuce pipelined XADD loop in this process.
 *
 * <p>Usage: see README.md. Arguments: [alerts (default 20000)] [warm-up alerts (default 3000)].
 * Any VIGIL_* variable in the environment reaches the service (e.g.
 * VIGIL_DELIVERY_POLLINTERVAL=10ms).
 */
public class AlertServiceBenchmark {
  private static final String TOKEN = "bench-token-0123456789";
  private static final String SECRET = "bench-secret-0123456789";

  public static void main(String[] args) throws Exception {
    // The broker and the clients log at INFO by default; only the figures matter here.
    ((ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    int alerts = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 3_000;
    Path jar = Path.of("alert-service/target/alert-service.jar");
    Path out = Path.of("alert-service/target/benchmark");
    Files.createDirectories(out);
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: run mvn -pl alert-service package");
    }

    KafkaBroker kafka = KafkaBroker.builder().topics("vigil.alerts", "vigil.alerts.dlt").start();
    int redisPort = freePort();
    RedisServer redisServer =
        RedisServer.builder()
            .port(redisPort)
            .bind("127.0.0.1")
            .setting("save \"\"")
            .setting("appendonly no")
            .build();
    redisServer.start();
    GreenMail mail = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", "smtp"));
    mail.start();
    Receiver receiver = new Receiver();
    RedisClient redisClient = RedisClient.create("redis://127.0.0.1:" + redisPort);
    StatefulRedisConnection<String, String> connection = redisClient.connect();
    RedisCommands<String, String> redis = connection.sync();
    int httpPort = freePort();
    Process service = null;
    try {
      ProcessBuilder builder =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-jar",
                  jar.toString())
              .redirectErrorStream(true)
              .redirectOutput(out.resolve("service.log").toFile());
      Map<String, String> env = builder.environment();
      env.put("VIGIL_KAFKA_BOOTSTRAP", kafka.servers());
      env.put("VIGIL_REDIS_HOST", "127.0.0.1");
      env.put("VIGIL_REDIS_PORT", Integer.toString(redisPort));
      env.put("VIGIL_SMTP_HOST", "127.0.0.1");
      env.put("VIGIL_SMTP_PORT", Integer.toString(mail.getSmtp().getPort()));
      env.put("VIGIL_HTTP_PORT", Integer.toString(httpPort));
      env.put("VIGIL_API_TOKEN", TOKEN);
      // The service encrypts webhook secrets at rest and does not start without a key.
      byte[] key = new byte[32];
      new java.security.SecureRandom().nextBytes(key);
      env.putIfAbsent("VIGIL_SECRETS_ACTIVEKEY", "bench");
      env.putIfAbsent("VIGIL_SECRETS_KEYS_BENCH", java.util.Base64.getEncoder().encodeToString(key));
      env.put("VIGIL_WEBHOOK_ALLOWED_NETWORKS", "127.0.0.0/8");
      Instant launched = Instant.now();
      service = builder.start();
      Process child = service;
      // Interrupted runs (Ctrl-C, SIGTERM) must not leave the service running.
      Runtime.getRuntime().addShutdownHook(new Thread(child::destroyForcibly));
      awaitHealthy(service, httpPort, Duration.ofSeconds(120));
      System.out.printf(
          "service healthy %.1f s after launch%n",
          Duration.between(launched, Instant.now()).toMillis() / 1000.0);
      subscribe(httpPort, receiver.url());

      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(
              Map.of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  kafka.servers(),
                  ProducerConfig.ACKS_CONFIG,
                  "all",
                  ProducerConfig.LINGER_MS_CONFIG,
                  5),
              new StringSerializer(),
              new StringSerializer())) {
        Result w = run(producer, redis, receiver, "bench_warmup", warmUp);
        System.out.printf("warm-up: %d alerts, %.0f alerts/s end to end%n", warmUp, w.endToEnd());
        Result r = run(producer, redis, receiver, "bench", alerts);
        double xaddLettuce = lettuceXadd(connection.async(), 200_000);
        String redisBenchmark = redisBenchmark(redisPort);
        String report =
            String.format(
                "alerts: %d, payload %d bytes%n"
                    + "published to Kafka in %.2f s%n"
                    + "stored in Redis (stream, index, counters, pub/sub): %.0f alerts/s%n"
                    + "end to end (Kafka -> Redis + 1 signed webhook accepted): %.0f alerts/s%n"
                    + "webhook receipts: %d for %d distinct Idempotency-Keys%n"
                    + "baseline XADD, Lettuce pipelined (this process, 1 connection): %.0f/s%n"
                    + "baseline XADD, redis-benchmark: %s%n"
                    + "ratio end-to-end / Lettuce XADD: %.4f%n",
                alerts,
                alert("x", "bench").length(),
                r.publishSeconds(),
                r.stored(),
                r.endToEnd(),
                receiver.total.get(),
                receiver.keys.size(),
                xaddLettuce,
                redisBenchmark,
                r.endToEnd() / xaddLettuce);
        System.out.print(report);
        Files.writeString(out.resolve("result.txt"), report);
      }
    } finally {
      if (service != null) {
        service.destroy();
        service.waitFor(60, TimeUnit.SECONDS);
      }
      connection.close();
      redisClient.shutdown();
      receiver.close();
      mail.stop();
      redisServer.stop();
      kafka.close();
    }
    System.exit(0);
  }

  record Result(double publishSeconds, double stored, double endToEnd) {}

  /** Publishes {@code n} alerts of one rule as fast as Kafka takes them, timing each stage. */
  static Result run(
      KafkaProducer<String, String> producer,
      RedisCommands<String, String> redis,
      Receiver receiver,
      String rule,
      int n)
      throws Exception {
    List<String> payloads = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      payloads.add(alert(newId(), rule));
    }
    long delivered0 = receiver.keys.size();
    long t0 = System.nanoTime();
    for (String p : payloads) {
      producer.send(new ProducerRecord<>("vigil.alerts", rule, p));
    }
    producer.flush();
    long published = System.nanoTime();
    long stored = 0;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    // The per-minute counters, not the streams: the streams are capped (MAXLEN ~).
    while (counted(redis, rule) < n) {
      check(deadline);
      Thread.sleep(5);
    }
    stored = System.nanoTime();
    while (receiver.keys.size() - delivered0 < n) {
      check(deadline);
      Thread.sleep(5);
    }
    long done = System.nanoTime();
    return new Result(
        (published - t0) / 1e9, n / ((stored - t0) / 1e9), n / ((done - t0) / 1e9));
  }

  static long counted(RedisCommands<String, String> redis, String rule) {
    long sum = 0;
    for (String key : redis.keys("vigil:rule:" + rule + ":counts:*")) {
      sum += redis.hvals(key).stream().mapToLong(Long::parseLong).sum();
    }
    return sum;
  }

  private static void check(long deadline) {
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException("the service did not finish within 10 minutes");
    }
  }

  /** XADD of alert-sized entries (same MAXLEN ~ as the service), pipelined over one connection. */
  static double lettuceXadd(RedisAsyncCommands<String, String> redis, int n) {
    String body = alert(newId(), "baseline");
    XAddArgs args = XAddArgs.Builder.maxlen(100_000).approximateTrimming();
    for (int round = 0; round < 2; round++) { // the first round warms up the JIT
      List<RedisFuture<?>> batch = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        batch.add(redis.xadd("bench:xadd", args, Map.of("alert", body)));
        if (batch.size() == 1000) {
          LettuceFutures.awaitAll(Duration.ofMinutes(1), batch.toArray(new RedisFuture[0]));
          batch.clear();
        }
      }
      LettuceFutures.awaitAll(Duration.ofMinutes(1), batch.toArray(new RedisFuture[0]));
      double rate = n / ((System.nanoTime() - t0) / 1e9);
      if (round == 1) {
        return rate;
      }
    }
    throw new AssertionError();
  }

  /** redis-benchmark's own XADD figure (50 clients, no pipelining), or why there is none. */
  static String redisBenchmark(int port) {
    String body = alert(newId(), "baseline").replace("\n", " ");
    List<String> command =
        List.of(
            "redis-benchmark",
            "-h",
            "127.0.0.1",
            "-p",
            Integer.toString(port),
            "-n",
            "200000",
            "-c",
            "50",
            "-q",
            "XADD",
            "bench:rb",
            "MAXLEN",
            "~",
            "100000",
            "*",
            "alert",
            body);
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      // -q prints "XADD ...: 123456.79 requests per second, p50=0.2 msec" after \r progress lines.
      String last = output.substring(output.lastIndexOf('\r') + 1);
      int colon = last.lastIndexOf(": ");
      return (colon >= 0 ? last.substring(colon + 2) : last)
          + " (redis-benchmark -c 50 -n 200000, no pipelining)";
    } catch (IOException e) {
      return "not measured: redis-benchmark is not installed";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  static void subscribe(int port, String url) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/subscriptions"))
                    .header("Authorization", "Bearer " + TOKEN)
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            """
                            {"name":"bench","type":"webhook","url":"%s","secret":"%s",
                             "match":{"tags":["fraud"]}}
                            """
                                .formatted(url, SECRET)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new IllegalStateException("subscription refused: " + response.body());
    }
  }

  static void awaitHealthy(Process service, int port, Duration timeout) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!service.isAlive()) {
        throw new IllegalStateException("the service exited; see alert-service/target/benchmark");
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the service was not healthy within " + timeout);
  }

  /** Counts receipts and distinct Idempotency-Keys; answers 204 at once. */
  static final class Receiver implements AutoCloseable {
    final AtomicLong total = new AtomicLong();
    final Set<String> keys = ConcurrentHashMap.newKeySet();
    private final ExecutorService pool = Executors.newFixedThreadPool(8);
    private final HttpServer server;

    Receiver() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/hook",
          exchange -> {
            exchange.getRequestBody().readAllBytes();
            total.incrementAndGet();
            keys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
          });
      server.setExecutor(pool);
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    @Override
    public void close() {
      server.stop(0);
      pool.shutdownNow();
    }
  }

  static String newId() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong())
        + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  }

  /** An alert as the CEP runtime writes it (docs/alerts.md), about 600 bytes. */
  static String alert(String id, String rule) {
    String now = Instant.now().toString();
    return """
        {"alertId":"%s","ruleId":"%s","ruleVersion":3,"kind":"MATCH","severity":"high",\
        "title":"Card testing on c-1","message":"5 small payments in 2 minutes","tags":["fraud"],\
        "owner":"team-x","key":{"cardId":"c-1"},"startTime":"%s","endTime":"%s","detectedAt":"%s",\
        "events":{"small":[{"amount":1.5,"cardId":"c-1"},{"amount":2.5,"cardId":"c-1"}],\
        "big":[{"amount":900,"cardId":"c-1","merchant":"m-42"}]}}"""
        .formatted(id, rule, now, now, now);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
