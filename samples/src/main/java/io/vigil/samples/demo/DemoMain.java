package io.vigil.samples.demo;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.vigil.runtime.job.JobConfig;
import io.vigil.runtime.job.VigilJob;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
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

  @Option(
      names = "--rules",
      description = "rule files or directories (default: the repository's samples)")
  List<Path> rules = List.of(home().resolve("samples"));

  @Option(
      names = "--speed",
      description = "event time runs this many times faster than the clock (default: 30)")
  double speed = 30;

  @Option(
      names = "--duration",
      description = "stop after this long, e.g. PT3M (default: run until Ctrl-C)")
  Duration duration;

  @Option(
      names = "--work-dir",
      description = "where logs and data go (default: the repository's .vigil/demo)")
  Path workDir = home().resolve(".vigil").resolve("demo");

  @Option(names = "--alert-service-jar", description = "the alert service's jar")
  Path alertServiceJar = home().resolve("alert-service/target/alert-service.jar");

  @Option(names = "--http-port", description = "the alert service's HTTP port (default: 8085)")
  int httpPort = 8085;

  @Option(names = "--console-jar", description = "the web console's jar")
  Path consoleJar = home().resolve("console/target/console.jar");

  @Option(names = "--console-port", description = "the web console's HTTP port (default: 8080)")
  int consolePort = 8080;

  /** Called once the console answers, before events flow. */
  java.util.function.Consumer<DemoConsole> consoleReady = console -> {};

  private final List<AutoCloseable> running = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final AlertPrinter printer = new AlertPrinter(DemoMain::say);

  /**
   * The repository the defaults lie in: {@code ./vigil demo} names it ({@code vigil.home}) and runs
   * the demo in the caller's directory, where the paths a user gives are read; else this directory.
   */
  private static Path home() {
    return Path.of(System.getProperty("vigil.home", "."));
  }

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
    // The job's own log (log4j2.properties) joins the other components' in the work directory;
    // nothing has logged yet, so log4j reads it when the job starts.
    System.setProperty("vigil.log.file", workDir.resolve("vigil.log").toAbsolutePath().toString());
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
    DemoTopics.create(bootstrap);

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
                  say(printer.receiptLine(r));
                }));

    say("publishing streams and rules from " + rules + " to vigil.rules ...");
    int published = DemoTopics.publishRules(bootstrap, DemoTopics.ruleFiles(rules));

    int port = freePort(httpPort);
    say("starting the alert service on http://localhost:" + port + " ...");
    DemoAlertService alertService =
        keep(
            DemoAlertService.start(
                alertServiceJar,
                workDir,
                port,
                new DemoAlertService.Connections(bootstrap, redisPort, smtpPort)));
    int webPort = freePort(consolePort);
    say("starting the web console on http://localhost:" + webPort + " ...");
    DemoConsole console =
        keep(
            DemoConsole.start(
                consoleJar,
                workDir,
                webPort,
                new DemoConsole.Connections(
                    bootstrap, redisPort, alertService.url(), alertService.token()),
                DemoTopics.ruleFiles(rules),
                rules.get(0).resolve("events")));
    alertService.awaitHealthy(Duration.ofSeconds(120));
    alertService.subscribeDemo(webhook);

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
            + alertService.token()
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
    Map<String, Integer> alerts = printer.printUntil(bootstrap, stopAt);
    return new Summary(alerts, receipts.get(), rejected.get(), mail.getReceivedMessages().length);
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
