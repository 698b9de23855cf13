package io.vigil.console.rules.testing;

import io.vigil.console.rules.deploy.KafkaProperties;
import io.vigil.console.streams.StreamDeclarations;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.stereotype.Component;

/**
 * The events of the last N minutes of a declared stream's topic, as test-run input: every partition
 * is read from the first offset at or after {@code now − N min} (Kafka's {@code offsetsForTimes})
 * up to its end offset when the read starts, skipping records stamped before that time (written
 * after it with an older timestamp), in record-timestamp order, at most {@link
 * TestRunProperties#topicMaxEvents()} events (the oldest). Nothing is committed: the console reads
 * without a consumer group.
 */
@Component("topicEvents")
public class TopicEvents {

  /**
   * @param lines JSON Lines, {@code {"stream":"<name>","event":<record value>}} per record
   * @param truncated the range held more than the maximum
   */
  public record Read(String lines, int events, boolean truncated, Instant from) {}

  private static final Duration POLL = Duration.ofMillis(200);

  private final KafkaProperties kafka;
  private final TestRunProperties properties;
  private final StreamDeclarations streams;
  private final Clock clock;

  public TopicEvents(
      KafkaProperties kafka,
      TestRunProperties properties,
      StreamDeclarations streams,
      Clock clock) {
    this.kafka = kafka;
    this.properties = properties;
    this.streams = streams;
    this.clock = clock;
  }

  public int maxMinutes() {
    return properties.topicMaxMinutes();
  }

  public int maxEvents() {
    return properties.topicMaxEvents();
  }

  public Read read(String stream, int minutes) {
    if (!streams.names().contains(stream)) {
      throw new TestRunException("no declared stream named " + stream);
    }
    if (minutes < 1 || minutes > properties.topicMaxMinutes()) {
      throw new TestRunException(
          "the range is 1 to %d minutes".formatted(properties.topicMaxMinutes()));
    }
    String topic = kafka.eventsTopicPrefix() + stream;
    Instant from = clock.instant().minus(Duration.ofMinutes(minutes));
    long deadline = System.nanoTime() + properties.timeout().toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, properties.timeout());
      if (infos == null || infos.isEmpty()) {
        throw new TestRunException("the topic " + topic + " does not exist");
      }
      List<TopicPartition> partitions =
          infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, properties.timeout());
      Map<TopicPartition, Long> times = new HashMap<>();
      partitions.forEach(p -> times.put(p, from.toEpochMilli()));
      Map<TopicPartition, OffsetAndTimestamp> starts =
          consumer.offsetsForTimes(times, properties.timeout());
      Map<TopicPartition, Long> remaining = new HashMap<>();
      for (TopicPartition p : partitions) {
        OffsetAndTimestamp start = starts.get(p);
        if (start != null && start.offset() < ends.get(p)) {
          remaining.put(p, ends.get(p));
        }
      }
      consumer.assign(remaining.keySet());
      remaining.keySet().forEach(p -> consumer.seek(p, starts.get(p).offset()));
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      int perPartitionCap = properties.topicMaxEvents() + 1;
      Map<TopicPartition, Integer> taken = new HashMap<>();
      while (!remaining.isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new TestRunException(
              "reading " + topic + " took longer than " + properties.timeout());
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
          TopicPartition p = new TopicPartition(r.topic(), r.partition());
          Long end = remaining.get(p);
          if (end == null || r.offset() >= end) {
            continue;
          }
          // Kafka finds the first offset at or after the time; a producer may still have written
          // older timestamps after it, which are not of the range.
          boolean inRange = r.timestamp() >= from.toEpochMilli();
          // Each partition contributes at most the cap: its oldest records are the ones kept.
          int count = inRange ? taken.merge(p, 1, Integer::sum) : taken.getOrDefault(p, 0);
          if (inRange && count <= perPartitionCap) {
            records.add(r);
          }
          if (r.offset() + 1 >= end || count >= perPartitionCap) {
            remaining.remove(p);
            consumer.pause(List.of(p));
          }
        }
      }
      records.sort(
          Comparator.<ConsumerRecord<byte[], byte[]>>comparingLong(ConsumerRecord::timestamp)
              .thenComparingInt(ConsumerRecord::partition)
              .thenComparingLong(ConsumerRecord::offset));
      boolean truncated = records.size() > properties.topicMaxEvents();
      List<ConsumerRecord<byte[], byte[]>> kept =
          records.subList(0, Math.min(records.size(), properties.topicMaxEvents()));
      StringBuilder lines = new StringBuilder();
      for (ConsumerRecord<byte[], byte[]> r : kept) {
        String value = r.value() == null ? "null" : new String(r.value(), StandardCharsets.UTF_8);
        lines
            .append("{\"stream\":\"")
            .append(stream)
            .append("\",\"event\":")
            .append(value.strip().replace('\n', ' '))
            .append("}\n");
      }
      return new Read(lines.toString(), kept.size(), truncated, from);
    } catch (KafkaException e) {
      throw new TestRunException("cannot read " + topic + ": " + e.getMessage(), e);
    }
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Properties config = new Properties();
    config.putAll(kafka.properties());
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    // Looking up a stream's topic must not create it.
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
