package io.vigil.samples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.runtime.control.ControlJson;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleSources;
import io.vigil.runtime.job.JobConfig;
import io.vigil.runtime.job.VigilJob;
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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import redis.embedded.RedisServer;

/**
 * The all-in-one demo: a real Kafka broker, Redis and SMTP server, the Vigil job on an embedded
 * Flink MiniCluster, the alert service, a webhook receiver that verifies signatures, and a feeder
 * that plays the fraud and IoT scenarios into the event topics. Alerts are printed as they arrive.
 */
@Command(
    name = "vigil demo",
    mixinStandardHelpOptions = true,
    description = "Runs the whole Vigil pipeline on this machine with embedded defaults.")
public final class DemoMain implements Callable<Integer> {

  @Option(names = "--rules", description = "rule files or directories (default: samples)")
  List<Path> rules = List.of(Path.of("samples"));

  @Option(
      names = "--speed",
      description = "event time runs this many times faster than the clock (default: 30)")
  double speed = 30;

  @Option(
      names = "--duration",
      description = "stop after this long, e.g. PT3M (default: run until Ctrl-C)")
  Duration duration;

  @Option(names = "--work-dir", description = "where logs and data go (default: .vigil/demo)")
  Path workDir = Path.of(".vigil", "demo");

  @Option(names = "--alert-service-jar", description = "the alert service's jar")
  Path alertServiceJar = Path.of("alert-service", "target", "alert-service.jar");

  @Option(names = "--http-port", description = "the alert service's HTTP port (default: 8085)")
  int httpPort = 8085;

  @Option(names = "--console-jar", description = "the web console's jar")
  Path consoleJar = Path.of("console", "target", "console.jar");

  @Option(names = "--console-port", description = "the web console's HTTP port (default: 8080)")
  int consolePort = 8080;

  /** Called once the console answers, before events flow. */
  java.util.function.Consumer<DemoConsole> consoleReady = console -> {};

  /**
   * Fresh for every run, given to the alert service and used by every call the demo makes to it:
   * the service refuses to start with a fixed or placeholder token. Likewise the key that encrypts
   * webhook secrets in Redis.
   */
  private final String apiToken = java.util.HexFormat.of().formatHex(randomBytes());

  private final String secretKey = java.util.Base64.getEncoder().encodeToString(randomBytes());

  private static byte[] randomBytes() {
    byte[] b = new byte[32];
    new java.security.SecureRandom().nextBytes(b);
    return b;
  }

  private final List<AutoCloseable> running = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ObjectMapper json = new ObjectMapper();

  public static void main(String[] args) {
    System.exit(new CommandLine(new DemoMain()).execute(args));
  }

  /** What one demo run produced. */
  public record Summary(
      Map<String, Integer> alertsByRule, int webhooksVerified, int webhooksRejected, int emails) {
    public int alerts() {
      return alertsByRule.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  @Override
  public Integer call() throws Exception {
    Thread hook = new Thread(this::stopAll, "demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    Summary summary = run();
    say("");
    say(
        "demo finished: "
            + summary.alerts()
            + " alerts "
            + summary.alertsByRule()
            + ", "
            + summary.webhooksVerified()
            + " signed webhooks verified ("
            + summary.webhooksRejected()
            + " rejected), "
            + summary.emails()
            + " emails");
    return summary.alerts() > 0 ? 0 : 1;
  }

  /** Starts everything, runs until {@code duration} has passed (or for ever), then stops it all. */
  public Summary run() throws Exception {
    try {
      return runUntilStopped();
    } finally {
      stopAll();
    }
  }

  private Summary runUntilStopped() throws Exception {
    Files.createDirectories(workDir);
    say("starting Kafka (KRaft) ...");
    KafkaBroker kafka =
        keep(
            KafkaBroker.start(
                workDir.resolve("kafka"), freePort(9092), freePort(9093), Duration.ofSeconds(90)));
    String bootstrap = kafka.bootstrapServers();
    createTopics(bootstrap);

    int redisPort = freePort(6379);
    say("starting Redis on " + redisPort + " ...");
    RedisServer redis = new RedisServer(redisPort);
    redis.start();
    running.add(redis::stop);

    int smtpPort = freePort(2525);
    GreenMail mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", "smtp"));
    mail.start();
    running.add(mail::stop);

    AtomicInteger receipts = new AtomicInteger();
    AtomicInteger rejected = new AtomicInteger();
    WebhookReceiver webhook =
        keep(
            WebhookReceiver.start(
                0,
                r -> {
                  (r.signatureValid() ? receipts : rejected).incrementAndGet();
                  say(
                      "  webhook  signature "
                          + (r.signatureValid() ? "valid" : "INVALID")
                          + (r.duplicate() ? " (duplicate, ignored)" : "")
                          + "  "
                          + summary(r.body()));
                }));

    say("publishing streams and rules from " + rules + " to vigil.rules ...");
    int published = publishRules(bootstrap);

    int port = freePort(httpPort);
    say("starting the alert service on http://localhost:" + port + " ...");
    Process alertService = startAlertService(bootstrap, redisPort, smtpPort, port);
    running.add(0, () -> stopProcess(alertService));
    int webPort = freePort(consolePort);
    say("starting the web console on http://localhost:" + webPort + " ...");
    DemoConsole console =
        keep(
            DemoConsole.start(
                consoleJar,
                workDir,
                webPort,
                new DemoConsole.Connections(
                    bootstrap, redisPort, "http://localhost:" + port, apiToken),
                ruleFiles(),
                rules.get(0).resolve("events")));
    awaitHealthy(port, Duration.ofSeconds(120));
    subscribe(port, webhook);

    say("starting the Vigil job on an embedded Flink MiniCluster ...");
    JobConfig config =
        JobConfig.defaults()
            .with(
                Map.of(
                    "kafka.bootstrap-servers", bootstrap,
                    "checkpoint.interval", "2s",
                    "checkpoint.dir", workDir.resolve("checkpoints").toUri().toString(),
                    "events.starting-offsets", "earliest",
                    "kafka.topic-discovery-interval", "2s"));
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(VigilJob.flinkConfiguration(config));
    VigilJob.build(
        env,
        config,
        VigilJob.readInitialRules(config),
        java.util.function.UnaryOperator.identity());
    JobClient job = env.executeAsync("vigil-demo");
    running.add(0, () -> job.cancel().get());
    console.awaitReady(Duration.ofSeconds(180));
    consoleReady.accept(console);

    EventFeeder feeder =
        new EventFeeder(
            bootstrap,
            "vigil.events.",
            speed,
            round -> say("  (scenario round " + round + " played)"));
    Thread feederThread = new Thread(feeder, "event-feeder");
    feederThread.setDaemon(true);
    feederThread.start();
    running.add(0, feeder::stop);

    say("");
    say(
        "Vigil demo is running: "
            + published
            + " streams and rules deployed, events flowing at "
            + speed
            + "x.");
    say(
        "  alert service API   http://localhost:"
            + port
            + "/api/subscriptions  (Authorization: Bearer "
            + apiToken
            + ")");
    say(
        "  health, metrics     http://localhost:"
            + port
            + "/actuator/health , /actuator/prometheus (with the token)");
    say(
        "  Kafka               "
            + bootstrap
            + "  (topics vigil.events.*, vigil.rules, vigil.alerts, vigil.rule-status)");
    say("  Redis               localhost:" + redisPort + "  (XRANGE vigil:alerts - +)");
    say("  web console         " + console.url() + "  (four-eyes review on; users for this run:)");
    for (DemoConsole.User u : console.users()) {
      say(String.format("    %-8s password %s  (%s)", u.username(), u.password(), u.role()));
    }
    say("  logs                " + workDir.toAbsolutePath());
    say("Alerts appear below as they are detected. Ctrl-C stops everything.");
    say("");

    Instant stopAt = duration == null ? Instant.MAX : Instant.now().plus(duration);
    Map<String, Integer> alerts = printAlerts(bootstrap, stopAt);
    return new Summary(alerts, receipts.get(), rejected.get(), mail.getReceivedMessages().length);
  }

  private int publishRules(String bootstrap)
      throws IOException,
          RuleSources.SyntaxException,
          InterruptedException,
          java.util.concurrent.ExecutionException {
    List<SourceFile> files = new ArrayList<>();
    for (Path p : ruleFiles()) {
      files.add(new SourceFile(p.toString(), Files.readString(p)));
    }
    List<RuleCommand> commands = RuleSources.commands(files, 1);
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      for (RuleCommand c : commands) {
        producer
            .send(new ProducerRecord<>("vigil.rules", c.topicKey(), ControlJson.write(c)))
            .get();
      }
    }
    return commands.size();
  }

  private List<Path> ruleFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path root : rules) {
      try (Stream<Path> walk = Files.walk(root)) {
        files.addAll(walk.filter(f -> f.toString().endsWith(".vgl")).sorted().toList());
      }
    }
    return files;
  }

  private static void createTopics(String bootstrap) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      NewTopic control =
          new NewTopic("vigil.rules", 1, (short) 1).configs(Map.of("cleanup.policy", "compact"));
      List<NewTopic> topics = new ArrayList<>(List.of(control));
      for (String t :
          List.of(
              "vigil.alerts",
              "vigil.rule-status",
              "vigil.late",
              "vigil.dead-letter",
              "vigil.events.payments",
              "vigil.events.logins",
              "vigil.events.readings",
              "vigil.events.maintenance")) {
        topics.add(new NewTopic(t, 2, (short) 1));
      }
      Map<String, ?> existing = admin.listTopics().namesToListings().get();
      topics.removeIf(t -> existing.containsKey(t.name()));
      admin.createTopics(topics).all().get();
    }
  }

  private Process startAlertService(String bootstrap, int redisPort, int smtpPort, int port)
      throws IOException {
    if (!Files.exists(alertServiceJar)) {
      throw new IllegalStateException(
          "missing "
              + alertServiceJar
              + ": build it with ./vigil demo (or mvn -pl alert-service package)");
    }
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-jar",
                alertServiceJar.toString())
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(workDir.resolve("alert-service.log").toFile()));
    Map<String, String> env = pb.environment();
    env.put("VIGIL_KAFKA_BOOTSTRAP", bootstrap);
    env.put("VIGIL_REDIS_HOST", "localhost");
    env.put("VIGIL_REDIS_PORT", String.valueOf(redisPort));
    env.put("VIGIL_SMTP_HOST", "127.0.0.1");
    env.put("VIGIL_SMTP_PORT", String.valueOf(smtpPort));
    env.put("VIGIL_HTTP_PORT", String.valueOf(port));
    env.put("VIGIL_API_TOKEN", apiToken);
    env.put("VIGIL_SECRETS_ACTIVEKEY", "demo");
    env.put("VIGIL_SECRETS_KEYS_DEMO", secretKey);
    env.put("VIGIL_WEBHOOK_ALLOWED_NETWORKS", "127.0.0.0/8");
    return pb.start();
  }

  private void awaitHealthy(int port, Duration timeout) throws InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
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
    throw new IllegalStateException(
        "the alert service did not become healthy; see " + workDir.resolve("alert-service.log"));
  }

  private void subscribe(int port, WebhookReceiver webhook)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    String hook =
        json.writeValueAsString(
            Map.of(
                "name", "demo webhook (every alert of severity medium or more)",
                "type", "webhook",
                "enabled", true,
                "url", webhook.url(),
                "minSeverity", "medium"));
    JsonNode created = json.readTree(post(http, port, "/api/subscriptions", hook));
    webhook.secret(created.path("generatedSecret").asText());
    String email =
        json.writeValueAsString(
            Map.of(
                "name",
                "on-call digest (critical)",
                "type",
                "email",
                "enabled",
                true,
                "to",
                List.of("oncall@example.org"),
                "minSeverity",
                "critical",
                "grouping",
                Map.of("by", "all", "window", "PT30S")));
    post(http, port, "/api/subscriptions", email);
  }

  private String post(HttpClient http, int port, String path, String body)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + apiToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          "POST " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  private Map<String, Integer> printAlerts(String bootstrap, Instant stopAt) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("group.id", "vigil-demo-printer");
    props.put("isolation.level", "read_committed");
    props.put("auto.offset.reset", "earliest");
    Map<String, Integer> byRule = new java.util.TreeMap<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of("vigil.alerts"));
      while (Instant.now().isBefore(stopAt)) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          byRule.merge(ruleId(r.value()), 1, Integer::sum);
          say(alertLine(r.value()));
        }
      }
    }
    return byRule;
  }

  private String ruleId(String value) {
    try {
      return json.readTree(value).path("ruleId").asText();
    } catch (IOException e) {
      return "(unreadable)";
    }
  }

  private String alertLine(String value) {
    try {
      JsonNode a = json.readTree(value);
      return String.format(
          "ALERT %-8s %-22s %-7s %s",
          a.path("severity").asText(),
          a.path("ruleId").asText(),
          a.path("kind").asText(),
          a.path("message").asText());
    } catch (IOException e) {
      return "ALERT (unreadable) " + value;
    }
  }

  private String summary(String webhookBody) {
    try {
      JsonNode alerts = json.readTree(webhookBody).path("alerts");
      return alerts.size() + " alert(s), first: " + alerts.path(0).path("ruleId").asText();
    } catch (IOException e) {
      return webhookBody;
    }
  }

  private <T extends AutoCloseable> T keep(T resource) {
    running.add(0, resource);
    return resource;
  }

  private synchronized void stopAll() {
    for (AutoCloseable r : running) {
      try {
        r.close();
      } catch (Exception e) {
        // Stopping is best effort: one component failing to stop must not keep the others up.
      }
    }
    running.clear();
  }

  private static void stopProcess(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
  }

  /** The preferred port when it is free, otherwise any free one. */
  static int freePort(int preferred) throws IOException {
    try (ServerSocket s = new ServerSocket(preferred)) {
      return s.getLocalPort();
    } catch (IOException taken) {
      try (ServerSocket s = new ServerSocket(0)) {
        return s.getLocalPort();
      }
    }
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
