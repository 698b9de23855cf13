package io.vigil.samples.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.vigil.alert.archive.RealPostgres;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.alert.AlertJson;
import io.vigil.runtime.cli.VigilMain;
import io.vigil.samples.demo.KafkaBroker;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.embedded.RedisServer;

/**
 * {@code vigil archive} against the real alert service (its packaged jar, a child JVM) with the
 * archive on: a real Kafka broker, Redis, SMTP and PostgreSQL server. Alerts written by the
 * runtime's own {@link AlertJson} go through {@code vigil.alerts} into the archive; the command
 * reads them back with filters, paging and both output forms.
 */
class ArchiveCommandEndToEndTest {

  private static final String TOKEN = "archive-cli-token-0123456789";
  private static final Instant DAY = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir static Path dir;
  private static final List<AutoCloseable> running = new ArrayList<>();
  private static final List<Alert> published = new ArrayList<>();
  private static String url;

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Ten alerts: rules r1 (6) and r2 (4), cards c-0…c-2, one a minute. */
  private static List<Alert> alerts() {
    List<Alert> out = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String rule = i < 6 ? "r1" : "r2";
      long at = DAY.plusSeconds(60L * i).toEpochMilli();
      out.add(
          new Alert(
              "alert-" + i,
              rule,
              1,
              Alert.Kind.MATCH,
              i % 2 == 0 ? "high" : "low",
              "title " + i,
              "message " + i,
              List.of("t"),
              Optional.empty(),
              Map.of("cardId", "c-" + (i % 3)),
              at - 1000,
              at - 500,
              at,
              Map.of("a", List.of(Map.<String, Object>of("cardId", "c-" + (i % 3)))),
              Map.of(),
              false));
    }
    return out;
  }

  @BeforeAll
  static void startTheAlertServiceWithTheArchive() throws Exception {
    KafkaBroker kafka =
        KafkaBroker.start(dir.resolve("kafka"), freePort(), freePort(), Duration.ofSeconds(90));
    running.add(kafka);
    try (Admin admin =
        Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic("vigil.alerts", 1, (short) 1),
                  new NewTopic("vigil.alerts.dlt", 1, (short) 1)))
          .all()
          .get();
    }
    int redisPort = freePort();
    RedisServer redis = new RedisServer(redisPort);
    redis.start();
    running.add(redis::stop);
    int smtpPort = freePort();
    GreenMail mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", "smtp"));
    mail.start();
    running.add(mail::stop);
    String jdbcUrl = RealPostgres.get().createDatabase("archive_cli");

    Path jar = Path.of("..", "alert-service", "target", "alert-service.jar");
    assertThat(jar).as("built by mvn -pl alert-service package").exists();
    int port = freePort();
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-jar",
                jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("alert-service.log").toFile());
    Map<String, String> env = pb.environment();
    env.put("VIGIL_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
    env.put("VIGIL_REDIS_HOST", "localhost");
    env.put("VIGIL_REDIS_PORT", String.valueOf(redisPort));
    env.put("VIGIL_SMTP_HOST", "127.0.0.1");
    env.put("VIGIL_SMTP_PORT", String.valueOf(smtpPort));
    env.put("VIGIL_HTTP_PORT", String.valueOf(port));
    env.put("VIGIL_API_TOKEN", TOKEN);
    env.put("VIGIL_SECRETS_ACTIVEKEY", "test");
    env.put("VIGIL_SECRETS_KEYS_TEST", "dGVzdC1zZWNyZXQta2V5LTAxMjM0NTY3ODkwMTIzNDU=");
    env.put("VIGIL_ARCHIVE_JDBC_URL", jdbcUrl);
    env.put("VIGIL_ARCHIVE_USERNAME", RealPostgres.USER);
    Process service = pb.start();
    running.add(
        () -> {
          service.destroy();
          service.waitFor();
        });
    url = "http://127.0.0.1:" + port;
    await(() -> healthy(url), "the alert service healthy");

    published.addAll(alerts());
    Properties props = new Properties();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      for (Alert alert : published) {
        producer.send(new ProducerRecord<>("vigil.alerts", alert.ruleId(), AlertJson.write(alert)));
      }
      producer.flush();
    }
    await(
        () -> archive("--output", "jsonl", "--limit", "50").out().lines().count() == 10,
        "the ten alerts in the archive");
  }

  @AfterAll
  static void stop() throws Exception {
    Collections.reverse(running);
    for (AutoCloseable c : running) {
      c.close();
    }
  }

  private static boolean healthy(String url) {
    try {
      return HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url + "/actuator/health")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode()
          == 200;
    } catch (IOException | InterruptedException notYet) {
      return false;
    }
  }

  record Run(int status, String out, String err) {}

  /** Runs {@code vigil archive} in this JVM, with the token and address as a user sets them. */
  private static Run archive(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Path token = dir.resolve("token");
    try {
      Files.writeString(token, TOKEN + "\n");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    List<String> all = new ArrayList<>(List.of("archive", "--url", url, "--token-file"));
    all.add(token.toString());
    all.addAll(List.of(args));
    picocli.CommandLine cli = VigilMain.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int status = cli.execute(all.toArray(String[]::new));
    return new Run(status, out.toString(), err.toString());
  }

  @FunctionalInterface
  interface Check {
    boolean done() throws Exception;
  }

  /** Waits for {@code check}, failing after five minutes (a hang, not a speed bound). */
  private static void await(Check check, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (!check.done()) {
      if (System.nanoTime() > deadline) {
        String log = Files.readString(dir.resolve("alert-service.log"));
        throw new AssertionError(
            "not reached: "
                + what
                + "; alert service log tail: "
                + log.substring(Math.max(0, log.length() - 3000)));
      }
      Thread.sleep(300);
    }
  }

  @Test
  void everyAlertComesBackNewestFirstAsItsJsonThroughPages() {
    Run run = archive("--output", "jsonl", "--page-size", "3");

    assertThat(run.status()).as(run.err()).isZero();
    List<Alert> read = run.out().lines().map(AlertJson::read).toList();
    List<Alert> newestFirst = new ArrayList<>(published);
    Collections.reverse(newestFirst);
    assertThat(read)
        .extracting(Alert::alertId)
        .containsExactlyElementsOf(newestFirst.stream().map(Alert::alertId).toList());
    assertThat(read.get(0).message()).isEqualTo("message 9");
    assertThat(read.get(0).key()).isEqualTo(Map.of("cardId", "c-0"));
  }

  @Test
  void filtersByRuleKeySeverityAndTimeRange() {
    Run byRuleAndKey = archive("--output", "jsonl", "--rule", "r1", "--key", "cardId=c-1");
    assertThat(byRuleAndKey.status()).as(byRuleAndKey.err()).isZero();
    assertThat(byRuleAndKey.out().lines().map(AlertJson::read).map(Alert::alertId))
        .containsExactly("alert-4", "alert-1");

    Run byTime =
        archive(
            "--output",
            "jsonl",
            "--since",
            DAY.plusSeconds(120).toString(),
            "--until",
            DAY.plusSeconds(300).toString(),
            "--severity",
            "high");
    assertThat(byTime.out().lines().map(AlertJson::read).map(Alert::alertId))
        .containsExactly("alert-4", "alert-2");
  }

  @Test
  void aTableShowsTheNewestAlertsUpToTheLimit() {
    Run run = archive("--limit", "2", "--page-size", "1");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out().lines()).hasSize(3);
    assertThat(run.out().lines().skip(1))
        .satisfiesExactly(
            l ->
                assertThat(l)
                    .startsWith("2026-03-01T10:09:00Z  low")
                    .contains("r2", "MATCH", "cardId=c-0", "message 9"),
            l ->
                assertThat(l)
                    .startsWith("2026-03-01T10:08:00Z  high")
                    .contains("cardId=c-2", "message 8"));
    assertThat(run.err()).contains("vigil archive: 2 alerts");
  }

  @Test
  void theServiceRefusesAWrongSeverityAndTheCommandSaysWhy() {
    Run run = archive("--severity", "hgh");

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).contains("HTTP 400").contains("severity");
  }
}
