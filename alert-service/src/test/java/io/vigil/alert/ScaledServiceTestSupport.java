package io.vigil.alert;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import redis.embedded.RedisServer;
import tools.jackson.databind.JsonNode;

/**
 * The whole service with the production attempt, circuit and deadline logic on a schedule scaled
 * down about 40 times (30 s circuit → 750 ms, 10 s deadline → 1 s, 1 s first backoff → 25 ms), so
 * that a ten-minute outage plays out in 15 s. It has a redis-server and an alert topic of its own:
 * the other service tests' context (a different retry schedule, the circuit disabled) must not
 * claim its deliveries. Mail templates come from a folder whose template does not render, and the
 * caps on subscriptions, silences and group sizes are small.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "vigil.api.token=" + ServiceTestSupport.TOKEN,
      "vigil.secrets.active-key=" + ServiceTestSupport.SECRET_KEY_ID,
      "vigil.secrets.keys."
          + ServiceTestSupport.SECRET_KEY_ID
          + "="
          + ServiceTestSupport.SECRET_KEY,
      "vigil.webhook.allowed-networks=127.0.0.0/8",
      "vigil.webhook.circuit-open-duration=750ms",
      "vigil.webhook.deadline=1s",
      "vigil.delivery.initial-backoff=25ms",
      "vigil.delivery.max-backoff=90s",
      "vigil.delivery.max-attempts=8",
      "vigil.delivery.poll-interval=20ms",
      "vigil.delivery.lease=10s",
      "vigil.email.templates=test-mail-templates/broken/",
      "vigil.limits.max-subscriptions=20",
      "vigil.limits.max-silences=3",
      "vigil.limits.max-group-alerts=5",
      "vigil.ingest.topic=" + ScaledServiceTestSupport.TOPIC,
      "spring.kafka.consumer.group-id=alert-service-scaled"
    })
public abstract class ScaledServiceTestSupport extends RunningServiceSupport {
  public static final String TOPIC = "vigil.alerts.scaled";

  /** One time compression for the whole context: thirty seconds of circuit become 750 ms. */
  public static final int SCALE = 40;

  private static final RedisServer REDIS;
  private static final int REDIS_PORT = RealInfrastructure.freePort();

  static {
    REDIS =
        RedisServer.builder()
            .port(REDIS_PORT)
            .bind("127.0.0.1")
            .setting("save \"\"")
            .setting("appendonly no")
            .build();
    REDIS.start();
    Runtime.getRuntime().addShutdownHook(new Thread(REDIS::stop));
  }

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    RealInfrastructure infra = RealInfrastructure.get();
    infra.kafka.createTopics(TOPIC);
    registry.add("spring.kafka.bootstrap-servers", infra::bootstrapServers);
    registry.add("spring.data.redis.port", () -> REDIS_PORT);
    registry.add("spring.data.redis.host", () -> "127.0.0.1");
    registry.add("spring.mail.host", () -> "127.0.0.1");
    registry.add("spring.mail.port", () -> infra.mail.getSmtp().getPort());
  }

  protected static void publish(String key, String value) {
    publishTo(TOPIC, key, value);
  }

  protected String webhook(String url, String secret, String rule) {
    return subscribe(
        """
        {"name":"hook","type":"webhook","url":"%s","secret":"%s","match":{"ruleIds":["%s"]}}
        """
            .formatted(url, secret, rule));
  }

  /** The parked deliveries of one subscription. */
  protected JsonNode parked(String subscriptionId) {
    return json.readTree(
        api("GET", "/api/deliveries/parked?limit=1000&subscriptionId=" + subscriptionId, null)
            .body());
  }
}
