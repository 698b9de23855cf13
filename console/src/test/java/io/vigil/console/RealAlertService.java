package io.vigil.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real alert service (its packaged jar, {@code alert-service/target/alert-service.jar}) in a
 * child JVM, on the tests' {@link RealRedis} and {@link RealKafka}, started once per test JVM and
 * stopped when it exits. Webhooks to this machine are allowed (receivers in tests listen on
 * loopback) and retries are quick (3 attempts, 50–200 ms apart) so that a failing receiver's
 * delivery parks within a second or two. Its log is {@code target/alert-service-fixture.log}.
 *
 * <p>A console test points the console at it with {@link #url()} and {@link #token()} (the
 * properties {@code vigil.console.alert-service.url} and {@code .token}).
 */
public final class RealAlertService {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final int port;
  private final String token;
  private final Path log;

  private RealAlertService() {
    Path jar =
        Path.of(
            System.getProperty(
                "vigil.alert-service.jar", "../alert-service/target/alert-service.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar.toAbsolutePath()
              + " is missing: build it first (mvn -pl console -am verify packages it before the"
              + " console's tests; or mvn -pl alert-service package)");
    }
    SecureRandom random = new SecureRandom();
    byte[] key = new byte[32];
    random.nextBytes(key);
    byte[] tokenBytes = new byte[24];
    random.nextBytes(tokenBytes);
    token = HexFormat.of().formatHex(tokenBytes);
    port = RealRedis.freePort();
    log = Path.of("target", "alert-service-fixture.log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Small heap and the C1 compiler only: the child must start fast on a shared machine.
    command.add("-Xmx384m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    command.add("--server.port=" + port);
    command.add("--spring.data.redis.host=127.0.0.1");
    command.add("--spring.data.redis.port=" + RealRedis.get().port);
    command.add("--spring.kafka.bootstrap-servers=" + RealKafka.get().servers());
    command.add("--spring.kafka.consumer.group-id=console-test-alert-service");
    command.add("--vigil.api.token=" + token);
    command.add("--vigil.secrets.active-key=console-test");
    command.add("--vigil.secrets.keys.console-test=" + Base64.getEncoder().encodeToString(key));
    command.add("--vigil.webhook.allowed-networks=127.0.0.0/8");
    command.add("--vigil.delivery.initial-backoff=50ms");
    command.add("--vigil.delivery.max-backoff=200ms");
    command.add("--vigil.delivery.max-attempts=3");
    command.add("--vigil.delivery.poll-interval=50ms");
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop));
    awaitReady(Duration.ofMinutes(3));
  }

  private static final class Holder {
    static final RealAlertService INSTANCE = new RealAlertService();
  }

  public static RealAlertService get() {
    return Holder.INSTANCE;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public String token() {
    return token;
  }

  /** A call to its API with the token, for a test's own set-up and checks. */
  public HttpResponse<String> api(String method, String path, String json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url() + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void awaitReady(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the alert service exited with "
                + process.exitValue()
                + "; see "
                + log.toAbsolutePath());
      }
      try {
        HttpResponse<String> ready =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(url() + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException(
        "the alert service was not ready after " + timeout + "; see " + log.toAbsolutePath());
  }

  // SIGKILL: shutdown hooks run at the same time, so a graceful stop would wait for the broker
  // and Redis that are going away with this JVM (up to its 45 s per shutdown phase).
  private void stop() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
