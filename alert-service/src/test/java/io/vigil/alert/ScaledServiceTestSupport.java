package io.vigil.alert;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import redis.embedded.RedisServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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
public abstract class ScaledServiceTestSupport {
  public static final String TOPIC = "vigil.alerts.scaled";

  /** One time compression for the whole context: thirty seconds of circuit become 750 ms. */
  public static final int SCALE = 40;

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final RedisServer REDIS;
  private static final int REDIS_PORT = RealInfrastructure.freePort();
  private static KafkaProducer<String, String> producer;

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

  @LocalServerPort protected int port;
  protected final JsonMapper json = JsonMapper.builder().build();

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    RealInfrastructure infra = RealInfrastructure.get();
    infra.kafka.addTopics(TOPIC);
    registry.add("spring.kafka.bootstrap-servers", infra::bootstrapServers);
    registry.add("spring.data.redis.port", () -> REDIS_PORT);
    registry.add("spring.data.redis.host", () -> "127.0.0.1");
    registry.add("spring.mail.host", () -> "127.0.0.1");
    registry.add("spring.mail.port", () -> infra.mail.getSmtp().getPort());
  }

  protected static synchronized void publish(String key, String value) {
    if (producer == null) {
      producer =
          new KafkaProducer<>(
              Map.of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  RealInfrastructure.get().bootstrapServers(),
                  ProducerConfig.ACKS_CONFIG,
                  "all"),
              new StringSerializer(),
              new StringSerializer());
    }
    try {
      producer.send(new ProducerRecord<>(TOPIC, key, value)).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static synchronized void closeProducer() {
    if (producer != null) {
      producer.close();
      producer = null;
    }
  }

  protected record Response(int status, String body) {}

  protected Response api(String method, String path, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + ServiceTestSupport.TOKEN)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Creates a subscription through the API and returns its id. */
  protected String subscribe(String requestJson) {
    Response created = api("POST", "/api/subscriptions", requestJson);
    if (created.status() != 201) {
      throw new AssertionError("subscription refused: " + created);
    }
    return json.readTree(created.body()).get("id").asString();
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
