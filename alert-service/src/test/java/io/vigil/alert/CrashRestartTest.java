package io.vigil.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.vigil.testing.webhook.WebhookReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The "service killed mid-batch and restarted": the real application in a child JVM
 * consumes a batch of alerts and delivers each to two webhook subscriptions; it is SIGKILLed in the
 * middle, started again, and the end state is checked: every alert stored exactly once (global
 * stream, per-rule index, counters), every (alert, subscription) pair accepted exactly once by a
 * receiver that deduplicates on {@code Idempotency-Key}, and the raw duplicates the at-least-once
 * window produced counted and checked to be true retries (same key, same delivery id).
 *
 * <p>Determinism: the kill is not timed. Once the service is visibly mid-batch (some alerts stored,
 * some webhooks accepted), the test pauses every Redis write ({@code CLIENT PAUSE … WRITE}), so the
 * service freezes wherever it is: the intake inside a Kafka batch whose offsets are not committed,
 * delivery workers between "the receiver said 200" and "recorded as delivered". It is killed in
 * that frozen state. That makes both at-least-once windows (Kafka redelivery, webhook re-send after
 * the lease) happen on every run, and lets the test compute exactly how many redelivered alerts the
 * restarted service must recognise as duplicates.
 */
class CrashRestartTest {
  private static final int ALERTS = 1000;
  private static final int WORKER_THREADS = 16;

  /** Its own Redis database on the shared server, so that other tests' keys do not interfere. */
  private static final int DATABASE = 7;

  private static final String TOKEN = "crash-test-token-0123456789";
  private static final String SECRET = "crash-secret-0123456789";
  private static final Path LOGS = Path.of("target", "crash-restart");

  private final java.util.concurrent.atomic.AtomicBoolean killed =
      new java.util.concurrent.atomic.AtomicBoolean();
  private java.util.concurrent.CompletableFuture<Void> trickle;
  private final java.util.concurrent.atomic.AtomicInteger next =
      new java.util.concurrent.atomic.AtomicInteger(ALERTS / 2);

  @Test
  void killedMidBatchAndRestartedLosesNoAlertAndDoublesNoEffect() throws Exception {
    RealInfrastructure infra = RealInfrastructure.get();
    String run = Alerts.newId().substring(0, 8);
    String topic = "vigil.alerts.crash-" + run;
    String group = "crash-" + run;
    String rule = "crash_" + run;
    infra.kafka.createTopics(topic);

    RedisClient client =
        RedisClient.create(
            RedisURI.builder()
                .withHost("127.0.0.1")
                .withPort(infra.redisPort)
                .withDatabase(DATABASE)
                .build());
    try (StatefulRedisConnection<String, String> connection = client.connect();
        WebhookReceiver first = new WebhookReceiver(SECRET, n -> 200);
        WebhookReceiver second = new WebhookReceiver(SECRET, n -> 200)) {
      RedisCommands<String, String> redis = connection.sync();
      redis.flushdb();

      Map<String, String> properties = new HashMap<>();
      properties.put("spring.kafka.bootstrap-servers", infra.bootstrapServers());
      properties.put("spring.kafka.consumer.group-id", group);
      // Static membership: the restarted process takes the dead one's partitions at once instead
      // of waiting for its session to time out.
      properties.put("spring.kafka.consumer.properties.group.instance.id", "crash-test-service");
      properties.put("spring.kafka.consumer.properties.session.timeout.ms", "10000");
      properties.put("spring.data.redis.host", "127.0.0.1");
      properties.put("spring.data.redis.port", Integer.toString(infra.redisPort));
      properties.put("spring.data.redis.database", Integer.toString(DATABASE));
      properties.put("spring.mail.host", "127.0.0.1");
      properties.put("spring.mail.port", Integer.toString(infra.mail.getSmtp().getPort()));
      properties.put("vigil.api.token", TOKEN);
      properties.put("vigil.secrets.active-key", ServiceTestSupport.SECRET_KEY_ID);
      properties.put(
          "vigil.secrets.keys." + ServiceTestSupport.SECRET_KEY_ID, ServiceTestSupport.SECRET_KEY);
      properties.put("vigil.ingest.topic", topic);
      properties.put("vigil.webhook.allowed-networks", "127.0.0.0/8");
      properties.put("vigil.webhook.deadline", "3s");
      properties.put("vigil.webhook.circuit-minimum-calls", "100000");
      properties.put("vigil.delivery.worker-threads", Integer.toString(WORKER_THREADS));
      properties.put("vigil.delivery.poll-interval", "20ms");
      // Deliveries in flight at the kill become due again after the lease; long enough that a
      // slow attempt on a loaded machine is not re-sent while still running.
      properties.put("vigil.delivery.lease", "10s");

      List<String> ids = new ArrayList<>();
      for (int i = 0; i < ALERTS; i++) {
        ids.add(Alerts.newId());
      }
      Set<String> published = new LinkedHashSet<>(ids);

      FrozenState atKill;
      long duplicatesIngested;
      int port = RealInfrastructure.freePort();
      try (ServiceProcess service =
          ServiceProcess.start(LOGS.resolve("run-1.log"), port, properties)) {
        subscribe(service, first, rule);
        subscribe(service, second, rule);
        // The kill must find the intake busy: half the alerts at once, then a trickle while the
        // service runs, and the last tenth only after the kill. (Published at once, all of them
        // could be stored before the webhooks flow, and the kill would come after the batch.)
        publish(infra.bootstrapServers(), topic, rule, ids.subList(0, ALERTS / 2));
        trickle =
            java.util.concurrent.CompletableFuture.runAsync(
                () -> {
                  try {
                    while (next.get() < ALERTS * 9 / 10 && !killed.get()) {
                      int from = next.get();
                      publish(infra.bootstrapServers(), topic, rule, ids.subList(from, from + 5));
                      next.set(from + 5);
                      Thread.sleep(50);
                    }
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });

        // Mid-batch: a tenth of the alerts stored and webhooks flowing to both receivers.
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(5))
            .until(
                () ->
                    redis.xlen("vigil:alerts") >= ALERTS / 10
                        && first.accepted().size() >= 5
                        && second.accepted().size() >= 5);
        pauseWrites(redis);
        try {
          // Lets requests already on the wire reach the receivers; their results cannot be
          // recorded any more, exactly the window a crash hits.
          Thread.sleep(500);
          service.kill();
          killed.set(true);
        } finally {
          client(redis, "UNPAUSE");
        }
        atKill =
            new FrozenState(
                redis.xlen("vigil:alerts"),
                committedOffset(infra.bootstrapServers(), group, topic));
      }
      assertThat(atKill.stored())
          .as("the kill must come mid-batch: some alerts stored, not all")
          .isBetween(1L, ALERTS - 1L);
      // The rest goes to Kafka while the service is down.
      trickle.join();
      publish(infra.bootstrapServers(), topic, rule, ids.subList(next.get(), ALERTS));
      assertThat(atKill.committed()).isLessThanOrEqualTo(atKill.stored());

      try (ServiceProcess restarted =
          ServiceProcess.start(LOGS.resolve("run-2.log"), port, properties)) {
        await("every alert stored and accepted by both receivers after the restart")
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () ->
                    redis.xlen("vigil:alerts") == ALERTS
                        && first.effects().size() == ALERTS
                        && second.effects().size() == ALERTS
                        && redis.zcard("vigil:deliveries:due") == 0);
        duplicatesIngested =
            prometheusValue(
                restarted.get("/actuator/prometheus").body(),
                "vigil_alerts_ingested_total",
                "outcome=\"duplicate\"");
      }

      // Redis: every alert exactly once, in the global stream, the per-rule index and the counters.
      List<String> global =
          redis.xrange("vigil:alerts", io.lettuce.core.Range.create("-", "+")).stream()
              .map(m -> m.getBody().get("alertId"))
              .toList();
      assertThat(global).hasSize(ALERTS).doesNotHaveDuplicates();
      assertThat(new HashSet<>(global)).isEqualTo(published);
      List<StreamMessage<String, String>> index =
          redis.xrange("vigil:rule:" + rule + ":alerts", io.lettuce.core.Range.create("-", "+"));
      assertThat(index).extracting(m -> m.getBody().get("alertId")).hasSize(ALERTS);
      assertThat(index.stream().map(m -> m.getBody().get("alertId")).collect(Collectors.toSet()))
          .isEqualTo(published);
      long counted = 0;
      for (String key : redis.keys("vigil:rule:" + rule + ":counts:*")) {
        counted += redis.hvals(key).stream().mapToLong(Long::parseLong).sum();
      }
      assertThat(counted).isEqualTo(ALERTS);
      assertThat(redis.smembers("vigil:rules")).containsExactly(rule);
      // The restarted service got every record after the committed offset again, and exactly those
      // the first run had stored were recognised as duplicates.
      assertThat(duplicatesIngested).isEqualTo(atKill.stored() - atKill.committed());

      // Deliveries: one per (alert, subscription), all delivered, none parked.
      List<String> deliveryKeys = scan(redis, "vigil:delivery:*");
      assertThat(deliveryKeys).hasSize(2 * ALERTS);
      for (String key : deliveryKeys) {
        assertThat(redis.hget(key, "status")).as(key).isEqualTo("delivered");
      }
      assertThat(redis.zcard("vigil:deliveries:parked")).isZero();

      int duplicateReceipts = 0;
      for (WebhookReceiver receiver : List.of(first, second)) {
        List<WebhookReceiver.Received> all = receiver.received();
        assertThat(all).allMatch(WebhookReceiver.Received::signatureValid);
        assertThat(receiver.effects().keySet()).isEqualTo(published);
        // A duplicate is a re-send of the same delivery (after its lease), never a second one.
        Map<String, Set<String>> deliveriesPerKey =
            all.stream()
                .collect(
                    Collectors.groupingBy(
                        WebhookReceiver.Received::idempotencyKey,
                        Collectors.mapping(
                            WebhookReceiver.Received::deliveryId, Collectors.toSet())));
        assertThat(deliveriesPerKey.values()).allMatch(d -> d.size() == 1);
        int duplicates = all.size() - ALERTS;
        // Only a delivery that a worker held at the kill can be sent twice.
        assertThat(duplicates).isBetween(0, WORKER_THREADS);
        duplicateReceipts += duplicates;
      }

      String summary =
          String.format(
              "crash/restart: %d alerts, 2 webhook subscriptions; killed with %d alerts stored and"
                  + " offset %d committed; after restart %d redelivered alerts recognised as"
                  + " duplicates; receipts %d + %d for %d + %d effects: %d duplicate receipts (same"
                  + " Idempotency-Key and delivery id), 0 lost%n",
              ALERTS,
              atKill.stored(),
              atKill.committed(),
              duplicatesIngested,
              first.received().size(),
              second.received().size(),
              ALERTS,
              ALERTS,
              duplicateReceipts);
      System.out.print(summary);
      Files.writeString(LOGS.resolve("summary.txt"), summary);
    } finally {
      client.shutdown();
    }
  }

  /** What the first run left behind: alerts stored in Redis, the group's committed offset. */
  private record FrozenState(long stored, long committed) {}

  private static void subscribe(ServiceProcess service, WebhookReceiver receiver, String rule)
      throws Exception {
    var response =
        service.post(
            "/api/subscriptions",
            TOKEN,
            """
            {"name":"crash","type":"webhook","url":"%s","secret":"%s","match":{"ruleIds":["%s"]}}
            """
                .formatted(receiver.url(), SECRET, rule));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
  }

  private static void publish(String bootstrap, String topic, String rule, List<String> ids)
      throws Exception {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                5),
            new StringSerializer(),
            new StringSerializer())) {
      for (String id : ids) {
        producer.send(new ProducerRecord<>(topic, id, Alerts.simple(id, rule)));
      }
      producer.flush();
    }
  }

  /** Freezes every write (scripts included) while reads still answer. */
  private static void pauseWrites(RedisCommands<String, String> redis) {
    client(redis, "PAUSE", "30000", "WRITE");
  }

  /** CLIENT subcommands that Lettuce 6.8's API lacks (PAUSE with a mode, UNPAUSE). */
  private static void client(RedisCommands<String, String> redis, String... args) {
    String ok =
        redis.dispatch(
            CommandType.CLIENT,
            new StatusOutput<>(StringCodec.UTF8),
            new CommandArgs<>(StringCodec.UTF8).addValues(args));
    assertThat(ok).isEqualTo("OK");
  }

  private static long committedOffset(String bootstrap, String group, String topic)
      throws Exception {
    try (AdminClient admin = AdminClient.create(Map.of("bootstrap.servers", bootstrap))) {
      OffsetAndMetadata offset =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get()
              .get(new TopicPartition(topic, 0));
      return offset == null ? 0 : offset.offset();
    }
  }

  private static List<String> scan(RedisCommands<String, String> redis, String pattern) {
    List<String> keys = new ArrayList<>();
    ScanIterator.scan(redis, ScanArgs.Builder.matches(pattern).limit(1000))
        .forEachRemaining(keys::add);
    return keys;
  }

  /** Sums the samples of one Prometheus counter whose labels contain {@code label}. */
  static long prometheusValue(String exposition, String name, String label) {
    double sum = 0;
    for (String line : exposition.split("\n")) {
      if (line.startsWith(name + "{") && line.contains(label)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Math.round(sum);
  }
}
