package io.vigil.alert;

import java.io.IOException;
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
import java.util.concurrent.TimeUnit;

/**
 * The real application in a child JVM, so that a test can kill it the way an OOM killer or a lost
 * node does ({@code destroyForcibly}, i.e. SIGKILL: no shutdown hook, no graceful stop) and start
 * it again. It runs from this test JVM's classpath, configured by command-line properties; its
 * output goes to a log file for post-mortems.
 */
public final class ServiceProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final int port;
  private final Path log;

  private ServiceProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts the service with {@code properties} as {@code --key=value} arguments and waits until
   * {@code /actuator/health} answers 200.
   */
  public static ServiceProcess start(Path log, int port, Map<String, String> properties)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Small heap and the C1 compiler only: the child must start fast on a shared 2-core machine.
    command.add("-Xmx384m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(testClassPath());
    command.add(AlertServiceApplication.class.getName());
    command.add("--server.port=" + port);
    properties.forEach((k, v) -> command.add("--" + k + "=" + v));
    Files.createDirectories(log.getParent());
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
            .start();
    ServiceProcess started = new ServiceProcess(process, port, log);
    started.awaitHealthy(Duration.ofSeconds(120));
    return started;
  }

  /**
   * Surefire puts the real classpath in {@code surefire.test.class.path}; {@code java.class.path}
   * may be a manifest-only jar (which works too, as its manifest lists the same entries).
   */
  private static String testClassPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank()
        ? surefire
        : System.getProperty("java.class.path");
  }

  private void awaitHealthy(Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the service exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
      }
      try {
        if (get("/actuator/health").statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "the service was not healthy after " + timeout + "; see " + log.toAbsolutePath());
  }

  public int port() {
    return port;
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A GET with the API token, e.g. for the health details or Prometheus. */
  public HttpResponse<String> get(String path, String token)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + token)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> post(String path, String token, String json)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** SIGKILL: nothing in the service gets to run, as in a real crash. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the service did not die after SIGKILL");
    }
  }

  /** SIGTERM, what an orchestrator sends first: the service shuts down gracefully. */
  public int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("the service did not stop within " + timeout + " of SIGTERM");
    }
    return process.exitValue();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
