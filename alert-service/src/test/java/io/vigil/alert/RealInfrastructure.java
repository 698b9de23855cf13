package io.vigil.alert;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.vigil.testing.kafka.KafkaBroker;
import java.io.IOException;
import java.net.ServerSocket;
import org.springframework.test.context.DynamicPropertyRegistry;
import redis.embedded.RedisServer;

/**
 * The real parts every service test talks to, started once per test JVM: a KRaft Kafka broker in
 * this JVM, a redis-server 7 process (the binary shipped by org.signal:embedded-redis) and a
 * GreenMail SMTP server, all on free ports. They stop when the JVM exits.
 */
public final class RealInfrastructure {
  public final KafkaBroker kafka;
  public final RedisServer redis;
  public final int redisPort;
  public final GreenMail mail;

  private RealInfrastructure() {
    kafka = KafkaBroker.builder().topics("vigil.alerts", "vigil.alerts.dlt").start();
    redisPort = freePort();
    redis =
        RedisServer.builder()
            .port(redisPort)
            .bind("127.0.0.1")
            .setting("save \"\"")
            .setting("appendonly no")
            .build();
    redis.start();
    mail = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  mail.stop();
                  redis.stop();
                  kafka.close();
                }));
  }

  private static final class Holder {
    static final RealInfrastructure INSTANCE = new RealInfrastructure();
  }

  public static RealInfrastructure get() {
    return Holder.INSTANCE;
  }

  public String bootstrapServers() {
    return kafka.servers();
  }

  /** The Spring properties that point the service at these parts, with a fast retry schedule. */
  public static void register(DynamicPropertyRegistry registry) {
    RealInfrastructure infra = get();
    registry.add("spring.kafka.bootstrap-servers", infra::bootstrapServers);
    registry.add("spring.data.redis.port", () -> infra.redisPort);
    registry.add("spring.data.redis.host", () -> "127.0.0.1");
    registry.add("spring.mail.host", () -> "127.0.0.1");
    registry.add("spring.mail.port", () -> infra.mail.getSmtp().getPort());
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
