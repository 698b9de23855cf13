package io.vigil.samples.demo;

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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * The web console as a child JVM. It runs from the extracted Boot jar, not from the nested jar: the
 * console runs Flink test runs in its own JVM, and Flink cannot load job classes from nested jars.
 */
final class DemoConsole implements AutoCloseable {

  /** A console user of the demo, with the password generated for this run. */
  record User(String username, String password, String role) {}

  /** Where the console's dependencies are. */
  record Connections(
      String kafkaBootstrap, int redisPort, String alertServiceUrl, String alertServiceToken) {}

  /** Flink's serializers in the console's test runs reflect into these JDK packages. */
  private static final List<String> OPENED_PACKAGES =
      List.of(
          "java.util",
          "java.lang",
          "java.lang.invoke",
          "java.net",
          "java.io",
          "java.nio",
          "sun.nio.ch",
          "java.time",
          "java.util.concurrent",
          "java.util.concurrent.atomic",
          "java.lang.reflect",
          "java.text",
          "java.math");

  private final Process process;
  private final String url;
  private final List<User> users;
  private final Path log;

  private DemoConsole(Process process, String url, List<User> users, Path log) {
    this.process = process;
    this.url = url;
    this.users = users;
    this.log = log;
  }

  /**
   * Extracts {@code jar} into the work directory (again only when the jar is newer) and starts it
   * with viewer, analyst and admin users, four-eyes review, and the stream declarations of {@code
   * streamFiles} imported.
   */
  static DemoConsole start(
      Path jar, Path workDir, int port, Connections to, List<Path> streamFiles, Path samplesDir)
      throws IOException, InterruptedException {
    if (!Files.exists(jar)) {
      throw new IllegalStateException(
          "missing " + jar + ": build it with ./vigil demo (or mvn -pl console -am package)");
    }
    Path app = extract(jar, workDir.resolve("console-app"), workDir.resolve("console.log"));
    List<User> users =
        List.of(
            new User("viewer", password(), "VIEWER"),
            new User("analyst", password(), "ANALYST"),
            new User("admin", password(), "ADMIN"));
    List<String> command = new ArrayList<>();
    command.add(java());
    command.add("-Xmx768m");
    for (String pkg : OPENED_PACKAGES) {
      command.add("--add-opens=java.base/" + pkg + "=ALL-UNNAMED");
    }
    command.addAll(List.of("-jar", app.resolve("console.jar").toString()));
    command.add("--server.port=" + port);
    command.add("--spring.data.redis.host=localhost");
    command.add("--spring.data.redis.port=" + to.redisPort());
    command.add("--vigil.console.kafka.bootstrap-servers=" + to.kafkaBootstrap());
    command.add("--vigil.console.alert-service.url=" + to.alertServiceUrl());
    command.add("--vigil.console.alert-service.token=" + to.alertServiceToken());
    command.add("--vigil.console.review.four-eyes=true");
    if (Files.isDirectory(samplesDir)) {
      command.add("--vigil.console.test-run.samples-dir=" + samplesDir.toAbsolutePath());
    }
    for (int i = 0; i < streamFiles.size(); i++) {
      command.add(
          "--vigil.console.streams.import-files[" + i + "]=" + streamFiles.get(i).toAbsolutePath());
    }
    for (int i = 0; i < users.size(); i++) {
      User u = users.get(i);
      String option = "--vigil.console.security.users[" + i + "].";
      command.add(option + "username=" + u.username());
      command.add(option + "password-hash=" + BCrypt.hashpw(u.password(), BCrypt.gensalt()));
      command.add(option + "role=" + u.role());
    }
    Path log = workDir.resolve("console.log");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    return new DemoConsole(process, "http://localhost:" + port, users, log);
  }

  String url() {
    return url;
  }

  List<User> users() {
    return users;
  }

  /** Waits until the sign-in page answers. */
  void awaitReady(Duration timeout) throws InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline) && process.isAlive()) {
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(url + "/login")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the console did not start; see " + log);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  private static Path extract(Path jar, Path destination, Path log)
      throws IOException, InterruptedException {
    Path extracted = destination.resolve("console.jar");
    if (Files.exists(extracted)
        && !Files.getLastModifiedTime(jar)
            .toInstant()
            .isAfter(Files.getLastModifiedTime(extracted).toInstant())) {
      return destination;
    }
    if (Files.exists(destination)) {
      try (Stream<Path> walk = Files.walk(destination)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Process tools =
        new ProcessBuilder(
                java(),
                "-Djarmode=tools",
                "-jar",
                jar.toString(),
                "extract",
                "--destination",
                destination.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    if (tools.waitFor() != 0 || !Files.exists(extracted)) {
      throw new IllegalStateException("could not extract " + jar + "; see " + log);
    }
    return destination;
  }

  private static String password() {
    byte[] b = new byte[12];
    new SecureRandom().nextBytes(b);
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
