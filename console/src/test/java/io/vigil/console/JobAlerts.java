package io.vigil.console;

import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.alert.AlertJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The alerts the running job writes to {@code vigil.alerts} of {@link RealKafka}, read from the
 * start.
 */
public final class JobAlerts implements AutoCloseable {

  private final KafkaConsumer<String, String> consumer;
  private final List<Alert> seen = new ArrayList<>();

  public JobAlerts() {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RealKafka.get().servers());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor("vigil.alerts").stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Every alert read so far that matches, after reading what has arrived. */
  public List<Alert> matching(Predicate<Alert> which) {
    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
      seen.add(AlertJson.read(r.value()));
    }
    return seen.stream().filter(which).toList();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
