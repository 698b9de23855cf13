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
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole service against real Kafka, Redis and SMTP. All service tests share one Spring context
 * (same configuration), so each test uses its own rule ids and subscriptions.
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
      "vigil.webhook.circuit-minimum-calls=1000",
      "vigil.delivery.initial-backoff=50ms",
      "vigil.delivery.max-backoff=200ms",
      "vigil.delivery.max-attempts=8",
      "vigil.delivery.poll-interval=20ms",
      "vigil.delivery.lease=10s",
      "spring.kafka.consumer.group-id=alert-service-test"
    })
public abstract class ServiceTestSupport {
  public static final String TOKEN = "test-token-0123456789";

  /** The key that encrypts webhook secrets at rest in every test context and child process. */
  public static final String SECRET_KEY_ID = "test-1";

  public static final String SECRET_KEY = "K/VIrozlKOpXS5Y9UDLG6PjV0X3nmD9KGRpVS4iPiJc=";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static KafkaProducer<String, String> producer;

  @LocalServerPort protected int port;
  @Autowired protected StringRedisTemplate redis;
  protected final JsonMapper json = JsonMapper.builder().build();

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    RealInfrastructure.register(registry);
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
      producer.send(new ProducerRecord<>("vigil.alerts", key, value)).get();
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
    return call(method, path, body, TOKEN);
  }

  protected Response call(String method, String path, String body, String token) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
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

  protected String webhook(String url, String secret, String matchJson, String extra) {
    return subscribe(
        """
        {"name":"hook","type":"webhook","url":"%s","secret":"%s","match":%s%s}
        """
            .formatted(url, secret, matchJson, extra.isEmpty() ? "" : "," + extra));
  }

  protected JsonNode tree(String text) {
    return json.readTree(text);
  }
}
