package io.vigil.samples.demo;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import redis.embedded.RedisServer;

/**
 * What the packaged alert service needs around it in the samples' tests, each on a free port: a
 * Kafka broker (a child process, as the demo starts it), a redis-server and a GreenMail SMTP
 * server. {@link #close()} stops them, last started first.
 */
public final class AlertServiceSurroundings implements AutoCloseable {

  public final KafkaBroker kafka;
  public final int redisPort;
  public final int smtpPort;
  private final List<AutoCloseable> running;

  private AlertServiceSurroundings(
      KafkaBroker kafka, int redisPort, int smtpPort, List<AutoCloseable> running) {
    this.kafka = kafka;
    this.redisPort = redisPort;
    this.smtpPort = smtpPort;
    this.running = running;
  }

  /** Starts the three; the broker keeps its data under {@code dir}. */
  public static AlertServiceSurroundings start(Path dir) throws Exception {
    List<AutoCloseable> running = new ArrayList<>();
    try {
      KafkaBroker kafka =
          KafkaBroker.start(dir.resolve("kafka"), freePort(), freePort(), Duration.ofSeconds(90));
      running.add(kafka);
      int redisPort = freePort();
      RedisServer redis = new RedisServer(redisPort);
      redis.start();
      running.add(redis::stop);
      int smtpPort = freePort();
      GreenMail mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", "smtp"));
      mail.start();
      running.add(mail::stop);
      return new AlertServiceSurroundings(kafka, redisPort, smtpPort, running);
    } catch (Exception | Error e) {
      stop(running);
      throw e;
    }
  }

  /** How the demo's alert service is pointed at them. */
  DemoAlertService.Connections connections() {
    return new DemoAlertService.Connections(kafka.bootstrapServers(), redisPort, smtpPort);
  }

  /** Creates the topics with {@code partitions} each; {@code vigil.rules} compacted, one. */
  public void createTopics(int partitions, String... names) throws Exception {
    try (Admin admin =
        Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
      List<NewTopic> topics = new ArrayList<>();
      for (String name : names) {
        topics.add(
            name.equals("vigil.rules")
                ? new NewTopic(name, 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))
                : new NewTopic(name, partitions, (short) 1));
      }
      admin.createTopics(topics).all().get();
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    stop(running);
  }

  private static void stop(List<AutoCloseable> running) throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
  }
}
