package io.vigil.samples.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka broker in KRaft mode, run as a child JVM from this module's own
 * classpath (kafka_2.13 is a dependency), so that the demo needs no download and no Docker.
 */
public final class KafkaBroker implements AutoCloseable {

  private final Process process;
  private final int port;

  private KafkaBroker(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  public static KafkaBroker start(Path dir, int port, int controllerPort, Duration timeout)
      throws IOException, InterruptedException {
    Path properties = writeProperties(dir, port, controllerPort);
    if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
      format(dir, properties, Uuid.randomUuid().toString());
    }
    Process broker = javaProcess(dir, "kafka", "kafka.Kafka", properties.toString()).start();
    KafkaBroker started = new KafkaBroker(broker, port);
    started.awaitPort(timeout);
    return started;
  }

  static Path writeProperties(Path dir, int port, int controllerPort) throws IOException {
    Files.createDirectories(dir);
    Path properties = dir.resolve("server.properties");
    Files.writeString(
        properties,
        String.join(
            "\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@localhost:" + controllerPort,
            "listeners=PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort,
            "advertised.listeners=PLAINTEXT://localhost:" + port,
            "controller.listener.names=CONTROLLER",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "inter.broker.listener.name=PLAINTEXT",
            "log.dirs=" + dir.resolve("data").toAbsolutePath(),
            "num.partitions=2",
            "offsets.topic.replication.factor=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            "auto.create.topics.enable=true",
            ""));
    return properties;
  }

  /**
   * Formats the KRaft storage named by {@code properties}. The id is passed as one {@code
   * --cluster-id=…} word: a base64 id may begin with '-', and given as a separate word the tool's
   * argument parser would read it as an option and refuse to format.
   */
  static void format(Path dir, Path properties, String clusterId)
      throws IOException, InterruptedException {
    run(
        dir,
        "format",
        "kafka.tools.StorageTool",
        "format",
        "--cluster-id=" + clusterId,
        "--config=" + properties,
        // A retry after a half-done first attempt must not fail on "already formatted".
        "--ignore-formatted");
  }

  public String bootstrapServers() {
    return "localhost:" + port;
  }

  private void awaitPort(Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Kafka exited with " + process.exitValue() + "; see kafka.log");
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("localhost", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("Kafka did not open port " + port + " within " + timeout);
  }

  private static void run(Path dir, String log, String main, String... args)
      throws IOException, InterruptedException {
    // One retry: a tool JVM that dies at start-up on a loaded machine is not a reason to give up.
    for (int attempt = 1; ; attempt++) {
      Process p = javaProcess(dir, log, main, args).start();
      if (p.waitFor() == 0) {
        return;
      }
      if (attempt == 2) {
        throw new IllegalStateException(
            main
                + " failed (exit "
                + p.exitValue()
                + "); last lines of "
                + dir.resolve(log + ".log")
                + ":\n"
                + tail(dir.resolve(log + ".log"), 30));
      }
    }
  }

  private static String tail(Path file, int lines) throws IOException {
    if (!Files.exists(file)) {
      return "(no output)";
    }
    List<String> all = Files.readAllLines(file);
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  static ProcessBuilder javaProcess(Path dir, String log, String main, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-Dvigil.log.file=" + dir.resolve(log + "-server.log").toAbsolutePath());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main);
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(log + ".log").toFile()));
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
