package io.vigil.alert.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.vigil.alert.Alerts;
import io.vigil.alert.RealInfrastructure;
import io.vigil.alert.ServiceProcess;
import io.vigil.alert.ServiceTestSupport;
import io.vigil.testing.webhook.WebhookReceiver;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import redis.embedded.RedisServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Operations, on the real application in a child JVM with a redis-server of its own (so that the
 * test can stop it): health of Kafka, Redis and SMTP; the Prometheus endpoint after a delivery;
 * health and readiness going DOWN while Redis is away, liveness staying UP; and a SIGTERM while a
 * webhook is in flight, which must finish the delivery and record it before the process exits. The
 * tests share one process and run in order; the last one stops it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsTest {
  private static final String TOKEN = "ops-test-token-0123456789";
  private static final String SECRET = "ops-secret-0123456789";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final String topic = "vigil.alerts.ops-" + Alerts.newId().substring(0, 8);
  private final int redisPort = RealInfrastructure.freePort();
  private RedisServer redisServer;
  private RedisClient redisClient;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> redis;
  private ServiceProcess service;

  @BeforeAll
  void start() throws Exception {
    RealInfrastructure infra = RealInfrastructure.get();
    infra.kafka.createTopics(topic);
    redisServer = newRedisServer();
    redisServer.start();
    redisClient = RedisClient.create("redis://127.0.0.1:" + redisPort);
    connection = redisClient.connect();
    redis = connection.sync();
    service =
        ServiceProcess.start(
            Path.of("target", "operations", "service.log"),
            RealInfrastructure.freePort(),
            Map.ofEntries(
                Map.entry("spring.kafka.bootstrap-servers", infra.bootstrapServers()),
                Map.entry("spring.kafka.consumer.group-id", "ops-" + topic),
                Map.entry("spring.data.redis.host", "127.0.0.1"),
                Map.entry("spring.data.redis.port", Integer.toString(redisPort)),
                Map.entry("spring.mail.host", "127.0.0.1"),
                Map.entry("spring.mail.port", Integer.toString(infra.mail.getSmtp().getPort())),
                Map.entry("vigil.api.token", TOKEN),
                Map.entry("vigil.secrets.active-key", ServiceTestSupport.SECRET_KEY_ID),
                Map.entry(
                    "vigil.secrets.keys." + ServiceTestSupport.SECRET_KEY_ID,
                    ServiceTestSupport.SECRET_KEY),
                Map.entry("vigil.ingest.topic", topic),
                Map.entry("vigil.webhook.allowed-networks", "127.0.0.0/8"),
                Map.entry("vigil.delivery.poll-interval", "20ms")));
  }

  private RedisServer newRedisServer() {
    return RedisServer.builder()
        .port(redisPort)
        .bind("127.0.0.1")
        .setting("save \"\"")
        .setting("appendonly no")
        .build();
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (service != null) {
        service.close();
      }
    } finally {
      connection.close();
      redisClient.shutdown();
      redisServer.stop();
    }
  }

  @Test
  @Order(1)
  void healthShowsKafkaRedisAndMailUp() throws Exception {
    HttpResponse<String> response = service.get("/actuator/health", TOKEN);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode health = JSON.readTree(response.body());
    assertThat(health.get("status").asString()).isEqualTo("UP");
    for (String component : List.of("kafka", "redis", "mail")) {
      assertThat(health.get("components").get(component).get("status").asString())
          .as(component)
          .isEqualTo("UP");
    }
    assertThat(health.get("components").get("kafka").get("details").get("nodes").asInt())
        .isEqualTo(1);
  }

  @Test
  @Order(2)
  void prometheusExposesTheDeliveryMetersAfterADelivery() throws Exception {
    String rule = Alerts.uniqueRule("metrics");
    try (WebhookReceiver receiver = new WebhookReceiver(SECRET, n -> 200)) {
      subscribe(receiver, rule);
      publish(Alerts.simple(Alerts.newId(), rule));
      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted().size() == 1);
    }
    // The counters are incremented right after the delivery is recorded: allow a moment.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              String metrics = service.get("/actuator/prometheus", TOKEN).body();
              assertThat(
                      sample(
                          metrics,
                          "vigil_deliveries_total",
                          "channel=\"webhook\"",
                          "outcome=\"delivered\""))
                  .isEqualTo(1.0);
              assertThat(
                      sample(
                          metrics, "vigil_delivery_attempt_seconds_count", "channel=\"webhook\""))
                  .isEqualTo(1.0);
              assertThat(
                      sample(
                          metrics, "vigil_delivery_latency_seconds_count", "channel=\"webhook\""))
                  .isEqualTo(1.0);
              assertThat(sample(metrics, "vigil_alerts_ingested_total", "outcome=\"stored\""))
                  .isEqualTo(1.0);
              assertThat(sample(metrics, "vigil_notifications_total", "outcome=\"scheduled\""))
                  .isEqualTo(1.0);
              assertThat(sample(metrics, "vigil_deliveries_due")).isEqualTo(0.0);
              assertThat(sample(metrics, "vigil_deliveries_parked")).isEqualTo(0.0);
            });
  }

  @Test
  @Order(3)
  void everyAlertServiceSeriesOfTheGrafanaDashboardIsExposed() throws Exception {
    // Runs after the delivery above: tagged meters exist from their first use.
    String scrape = service.get("/actuator/prometheus", TOKEN).body();
    JsonNode dashboard =
        JSON.readTree(
            Files.readString(
                Path.of("..", "samples", "deploy", "grafana", "vigil-dashboard.json")));
    List<String> queried = new ArrayList<>();
    List<JsonNode> queries = new ArrayList<>(dashboard.findValues("expr"));
    queries.addAll(dashboard.findValues("definition"));
    for (JsonNode query : queries) {
      Matcher m = Pattern.compile("vigil_[A-Za-z0-9_]+").matcher(query.asString());
      while (m.find()) {
        queried.add(m.group());
      }
    }
    assertThat(queried).isNotEmpty();
    for (String metric : queried) {
      assertThat(scrape).as(metric).containsPattern("(?m)^" + Pattern.quote(metric) + "[{ ]");
    }
  }

  @Test
  @Order(4)
  void healthAndReadinessGoDownWhileRedisIsAwayButLivenessStaysUp() throws Exception {
    redisServer.stop();
    try {
      HttpResponse<String> response = service.get("/actuator/health", TOKEN);
      assertThat(response.statusCode()).isEqualTo(503);
      JsonNode health = JSON.readTree(response.body());
      assertThat(health.get("status").asString()).isEqualTo("DOWN");
      assertThat(health.get("components").get("redis").get("status").asString()).isEqualTo("DOWN");
      assertThat(health.get("components").get("kafka").get("status").asString()).isEqualTo("UP");
      HttpResponse<String> readiness = service.get("/actuator/health/readiness");
      assertThat(readiness.statusCode()).isEqualTo(503);
      assertThat(JSON.readTree(readiness.body()).get("status").asString()).isEqualTo("DOWN");
      // An orchestrator must not restart the process for an outage of Redis.
      HttpResponse<String> liveness = service.get("/actuator/health/liveness");
      assertThat(liveness.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(liveness.body()).get("status").asString()).isEqualTo("UP");
    } finally {
      // A fresh, empty server on the same port (no persistence): the service reconnects.
      redisServer = newRedisServer();
      redisServer.start();
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> service.get("/actuator/health").statusCode() == 200);
  }

  @Test
  @Order(5)
  void sigtermFinishesAWebhookInFlightAndRecordsIt() throws Exception {
    String rule = Alerts.uniqueRule("graceful");
    try (WebhookReceiver slow = new WebhookReceiver(SECRET, n -> 200)) {
      slow.delay(Duration.ofSeconds(3));
      subscribe(slow, rule);
      String alertId = Alerts.newId();
      publish(Alerts.simple(alertId, rule));
      await().atMost(Duration.ofSeconds(30)).until(() -> slow.started() == 1);
      assertThat(slow.accepted()).as("still in flight when SIGTERM is sent").isEmpty();

      int exit = service.terminate(Duration.ofSeconds(60));

      assertThat(slow.accepted())
          .extracting(WebhookReceiver.Received::idempotencyKey)
          .containsExactly(alertId);
      List<String> deliveries = new ArrayList<>();
      ScanIterator.scan(redis, ScanArgs.Builder.matches("vigil:delivery:*"))
          .forEachRemaining(deliveries::add);
      assertThat(deliveries).hasSize(1);
      Map<String, String> delivery = redis.hgetall(deliveries.get(0));
      assertThat(delivery.get("status"))
          .as("recorded before the process exited")
          .isEqualTo("delivered");
      JsonNode attempts = JSON.readTree(delivery.get("attempts"));
      assertThat(attempts).hasSize(1);
      assertThat(attempts.get(0).get("status").asInt()).isEqualTo(200);
      assertThat(redis.zcard("vigil:deliveries:due")).isZero();
      // The JVM's answer to SIGTERM once the shutdown hooks (the graceful stop) have run.
      assertThat(exit).isEqualTo(143);
    }
  }

  private void subscribe(WebhookReceiver receiver, String rule) throws Exception {
    HttpResponse<String> response =
        service.post(
            "/api/subscriptions",
            TOKEN,
            """
            {"name":"ops","type":"webhook","url":"%s","secret":"%s","match":{"ruleIds":["%s"]}}
            """
                .formatted(receiver.url(), SECRET, rule));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
  }

  private void publish(String alertJson) throws Exception {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                RealInfrastructure.get().bootstrapServers()),
            new StringSerializer(),
            new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, "k", alertJson)).get();
    }
  }

  /** The value of the one Prometheus sample named {@code name} whose labels contain all given. */
  private static double sample(String exposition, String name, String... labels) {
    List<Double> values = new ArrayList<>();
    for (String line : exposition.split("\n")) {
      String sampleName = line.split("[{ ]", 2)[0];
      if (!sampleName.equals(name)) {
        continue;
      }
      boolean all = true;
      for (String label : labels) {
        all &= line.contains(label);
      }
      if (all) {
        values.add(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
      }
    }
    assertThat(values).as("samples of " + name + " " + List.of(labels)).hasSize(1);
    return values.get(0);
  }
}
