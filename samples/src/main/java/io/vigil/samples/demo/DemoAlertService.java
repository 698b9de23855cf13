package io.vigil.samples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The alert service as a child JVM from its packaged jar, configured only through its documented
 * environment variables. Its API token and the key that encrypts webhook secrets in Redis are fresh
 * for every run: the service refuses to start with a fixed or placeholder token.
 */
final class DemoAlertService implements AutoCloseable {

  /** Where the service's dependencies are. */
  record Connections(String kafkaBootstrap, int redisPort, int smtpPort) {}

  private final Process process;
  private final int port;
  private final String token;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  private DemoAlertService(Process process, int port, String token, Path log) {
    this.process = process;
    this.port = port;
    this.token = token;
    this.log = log;
  }

  static DemoAlertService start(Path jar, Path workDir, int port, Connections connections)
      throws IOException {
    if (!Files.exists(jar)) {
      throw new IllegalStateException(
          "missing " + jar + ": build it with ./vigil demo (or mvn -pl alert-service package)");
    }
    Path log = workDir.resolve("alert-service.log");
    String token = HexFormat.of().formatHex(randomBytes());
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-jar",
                jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> env = pb.environment();
    env.put("VIGIL_KAFKA_BOOTSTRAP", connections.kafkaBootstrap());
    env.put("VIGIL_REDIS_HOST", "localhost");
    env.put("VIGIL_REDIS_PORT", String.valueOf(connections.redisPort()));
    env.put("VIGIL_SMTP_HOST", "127.0.0.1");
    env.put("VIGIL_SMTP_PORT", String.valueOf(connections.smtpPort()));
    env.put("VIGIL_HTTP_PORT", String.valueOf(port));
    env.put("VIGIL_API_TOKEN", token);
    env.put("VIGIL_SECRETS_ACTIVEKEY", "demo");
    env.put("VIGIL_SECRETS_KEYS_DEMO", Base64.getEncoder().encodeToString(randomBytes()));
    env.put("VIGIL_WEBHOOK_ALLOWED_NETWORKS", "127.0.0.0/8");
    return new DemoAlertService(pb.start(), port, token, log);
  }

  String url() {
    return "http://localhost:" + port;
  }

  String token() {
    return token;
  }

  void awaitHealthy(Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(url() + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the alert service did not become healthy; see " + log);
  }

  /**
   * The demo's subscriptions: every alert of severity medium or more to {@code webhook} (which
   * learns the generated signing secret), and a 30 s digest of critical alerts by email.
   */
  void subscribeDemo(WebhookReceiver webhook) throws IOException, InterruptedException {
    String hook =
        json.writeValueAsString(
            Map.of(
                "name", "demo webhook (every alert of severity medium or more)",
                "type", "webhook",
                "enabled", true,
                "url", webhook.url(),
                "minSeverity", "medium"));
    JsonNode created = json.readTree(post("/api/subscriptions", hook));
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
    post("/api/subscriptions", email);
  }

  /** POSTs {@code body} to the service's API with its token; fails unless it answers 2xx. */
  String post(String path, String body) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url() + path))
                .header("Authorization", "Bearer " + token)
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

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return b;
  }
}
