package io.vigil.runtime.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The Kafka clients of a deployer, each configured with the user's properties (security and the
 * like) on top of its own, and the one way it reads a topic: every partition up to the end offsets
 * taken when the read starts.
 */
final class KafkaClients {

  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

  /** A read that has not reached the end offsets after this long (a broker gone) fails. */
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  private final DeploySettings settings;

  KafkaClients(DeploySettings settings) {
    this.settings = settings;
  }

  /** A read_committed consumer without a group (partitions are assigned, nothing is committed). */
  KafkaConsumer<String, String> consumer() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    props.putAll(settings.kafkaProperties());
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    return new KafkaConsumer<>(props);
  }

  /**
   * A transactional producer: the control record and its history record are published together or
   * not at all. Its transactional id is the user's {@code transactional.id}, if given (deployers
   * sharing it fence each other off), or {@code vigil-deploy-<random>}.
   */
  KafkaProducer<byte[], byte[]> producer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "vigil-deploy-" + UUID.randomUUID());
    props.putAll(settings.kafkaProperties());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props);
    producer.initTransactions();
    return producer;
  }

  /**
   * Creates the control and history topics if they are missing, compacted with one partition (a
   * broker that refuses auto-creation would otherwise fail the first deploy).
   */
  void ensureTopics() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.putAll(settings.kafkaProperties());
    try (Admin admin = Admin.create(adminOnly(props))) {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing = new ArrayList<>();
      for (String topic : List.of(settings.rulesTopic(), settings.versionsTopic())) {
        if (!existing.contains(topic)) {
          missing.add(
              new NewTopic(topic, Optional.of(1), Optional.empty())
                  .configs(Map.of("cleanup.policy", "compact")));
        }
      }
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get();
      }
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new DeployException("cannot create the deploy topics: " + e.getCause(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeployException("interrupted while creating the deploy topics", e);
    } catch (org.apache.kafka.common.KafkaException e) {
      throw new DeployException("cannot create the deploy topics: " + e.getMessage(), e);
    }
  }

  /** Admin clients warn about producer and consumer settings: leave those out. */
  private static Properties adminOnly(Properties props) {
    Set<String> known = org.apache.kafka.clients.admin.AdminClientConfig.configNames();
    Properties admin = new Properties();
    props.forEach(
        (k, v) -> {
          if (known.contains(k.toString())) {
            admin.put(k, v);
          }
        });
    return admin;
  }

  /**
   * Every record of {@code topic} from {@code from} (or the beginning) up to the end offsets taken
   * now; empty when the topic does not exist.
   */
  List<ConsumerRecord<String, String>> readToEnd(String topic, Optional<Instant> from) {
    try (KafkaConsumer<String, String> consumer = consumer()) {
      Set<TopicPartition> partitions = assign(consumer, topic, from);
      List<ConsumerRecord<String, String>> records = new ArrayList<>();
      if (partitions.isEmpty()) {
        return records;
      }
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      Instant deadline = Instant.now().plus(READ_TIMEOUT);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (Instant.now().isAfter(deadline)) {
          throw new DeployException(
              "cannot read " + topic + " to its end within " + READ_TIMEOUT.toSeconds() + " s");
        }
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
            records.add(record);
          }
        }
      }
      return records;
    } catch (org.apache.kafka.common.KafkaException e) {
      throw new DeployException("cannot read " + topic + ": " + e.getMessage(), e);
    }
  }

  /**
   * Assigns every partition of {@code topic} to {@code consumer}, positioned at the first record at
   * or after {@code from} (or the beginning); no partitions when the topic does not exist.
   */
  static Set<TopicPartition> assign(
      KafkaConsumer<String, String> consumer, String topic, Optional<Instant> from) {
    List<PartitionInfo> infos;
    try {
      infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
    } catch (org.apache.kafka.common.errors.UnknownTopicOrPartitionException e) {
      return Set.of();
    }
    if (infos == null || infos.isEmpty()) {
      return Set.of();
    }
    Set<TopicPartition> partitions =
        infos.stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .collect(Collectors.toSet());
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    if (from.isPresent()) {
      Map<TopicPartition, Long> times = new HashMap<>();
      partitions.forEach(tp -> times.put(tp, Math.max(0, from.get().toEpochMilli())));
      Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      for (TopicPartition tp : partitions) {
        OffsetAndTimestamp at = offsets.get(tp);
        consumer.seek(tp, at == null ? ends.get(tp) : at.offset());
      }
    }
    return partitions;
  }
}
