package io.vigil.alert.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.alert.Alerts;
import io.vigil.alert.RealInfrastructure;
import io.vigil.alert.ServiceTestSupport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

class AlertIngestTest extends ServiceTestSupport {

  @Test
  void everyAlertLandsInTheStreamsCountersAndByIdExactlyOnceEvenWhenRedelivered() {
    String rule = Alerts.uniqueRule("card_testing");
    String first = Alerts.newId();
    String second = Alerts.newId();
    publish("k", Alerts.simple(first, rule));
    publish("k", Alerts.simple(second, rule));
    publish("k", Alerts.simple(first, rule)); // at-least-once input: the same alert again

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(redis.opsForStream().size("vigil:rule:" + rule + ":alerts"))
                    .isEqualTo(2));
    var entries =
        redis
            .opsForStream()
            .range(
                "vigil:rule:" + rule + ":alerts",
                org.springframework.data.domain.Range.unbounded());
    assertThat(entries).extracting(e -> e.getValue().get("alertId")).containsExactly(first, second);
    assertThat(redis.opsForValue().get("vigil:alert:" + first))
        .contains("\"ruleId\":\"" + rule + "\"");
    assertThat(redis.opsForSet().isMember("vigil:rules", rule)).isTrue();
    Map<Object, Object> counters =
        redis
            .opsForHash()
            .entries(redis.keys("vigil:rule:" + rule + ":counts:*").iterator().next());
    assertThat(counters.values().stream().mapToInt(v -> Integer.parseInt((String) v)).sum())
        .isEqualTo(2);
    // The global stream holds the same alerts (among other tests' alerts).
    var global =
        redis
            .opsForStream()
            .reverseRange("vigil:alerts", org.springframework.data.domain.Range.unbounded());
    assertThat(global.stream().filter(e -> rule.equals(e.getValue().get("ruleId")))).hasSize(2);
  }

  @Test
  void malformedRecordsGoToTheDeadLetterTopicWithTheReasonAndTheServiceKeepsGoing()
      throws Exception {
    String rule = Alerts.uniqueRule("after_garbage");
    String valid = Alerts.newId();
    String noSeverity = Alerts.simple(Alerts.newId(), rule).replace("\"severity\":\"high\",", "");
    publish("bad-1", "this is not json");
    publish("bad-2", noSeverity);
    publish("good", Alerts.simple(valid, rule));

    await().atMost(Duration.ofSeconds(30)).until(() -> redis.hasKey("vigil:alert:" + valid));

    List<ConsumerRecord<String, String>> dead = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                RealInfrastructure.get().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "dlt-reader-" + Alerts.newId(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.subscribe(List.of("vigil.alerts.dlt"));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(dead::add);
                assertThat(dead).extracting(ConsumerRecord::key).contains("bad-1", "bad-2");
              });
    }
    assertThat(reason(dead, "bad-1")).startsWith("not JSON");
    assertThat(reason(dead, "bad-2")).isEqualTo("missing field 'severity'");
    assertThat(dead.stream().filter(r -> r.key().equals("bad-2")).findFirst().orElseThrow().value())
        .isEqualTo(noSeverity);
  }

  @Test
  void offsetsAreCommittedOnceTheAlertsTookEffect() throws Exception {
    String id = Alerts.newId();
    publish("k", Alerts.simple(id, Alerts.uniqueRule("committed")));
    await().atMost(Duration.ofSeconds(30)).until(() -> redis.hasKey("vigil:alert:" + id));
    try (AdminClient admin =
        AdminClient.create(
            Map.of("bootstrap.servers", RealInfrastructure.get().bootstrapServers()))) {
      TopicPartition partition = new TopicPartition("vigil.alerts", 0);
      long end =
          admin
              .listOffsets(Map.of(partition, OffsetSpec.latest()))
              .partitionResult(partition)
              .get()
              .offset();
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .untilAsserted(
              () ->
                  assertThat(
                          admin
                              .listConsumerGroupOffsets("alert-service-test")
                              .partitionsToOffsetAndMetadata()
                              .get()
                              .get(partition)
                              .offset())
                      .isGreaterThanOrEqualTo(end));
    }
  }

  private static String reason(List<ConsumerRecord<String, String>> records, String key) {
    return records.stream()
        .filter(r -> r.key().equals(key))
        .map(
            r ->
                new String(
                    r.headers().lastHeader("vigil-dlt-reason").value(), StandardCharsets.UTF_8))
        .findFirst()
        .orElseThrow();
  }
}
