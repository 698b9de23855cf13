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
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every test of a running service does: call its API with a token, create subscriptions and
 * publish alerts to its topic on the shared broker. The subclass says how the service is
 * configured.
 */
public abstract class RunningServiceSupport {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static KafkaProducer<String, String> producer;

  @LocalServerPort protected int port;
  protected final JsonMapper json = JsonMapper.builder().build();

  protected static synchronized void publishTo(String topic, String key, String value) {
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
      producer.send(new ProducerRecord<>(topic, key, value)).get();
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
    return call(method, path, body, ServiceTestSupport.TOKEN);
  }

  /** Calls the API with {@code token} as bearer token, or with none when it is null. */
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

  protected JsonNode tree(String text) {
    return json.readTree(text);
  }
}
