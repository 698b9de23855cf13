package io.vigil.runtime.job;

import io.vigil.runtime.control.CommandSignature;
import io.vigil.runtime.control.ControlJson;
import io.vigil.runtime.control.RuleCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the control topic to its end offsets before the job starts. The result is built into the
 * job as its initial rule set, so that events never overtake the rules that were already published
 * (the broadcast stream alone gives no such order). The control source then reads the topic again
 * from the beginning; replays of the same version change nothing.
 */
final class InitialRules {

  private InitialRules() {}

  /**
   * @param signature when present, records that are not validly signed are left out (the control
   *     source answers them with REJECTED when it reads them again)
   */
  static List<RuleCommand> read(
      String bootstrapServers, String topic, Optional<CommandSignature> signature) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, RuleCommand> latest = new LinkedHashMap<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      if (partitions == null || partitions.isEmpty()) {
        return List.of();
      }
      Set<TopicPartition> assigned =
          partitions.stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .collect(Collectors.toSet());
      consumer.assign(assigned);
      consumer.seekToBeginning(assigned);
      Map<TopicPartition, Long> end = consumer.endOffsets(assigned);
      while (assigned.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          if (signature.isPresent()
              && ControlParser.unsigned(signature.get(), controlRecord(record)).isPresent()) {
            continue;
          }
          try {
            RuleCommand command =
                ControlJson.read(record.key(), record.value(), record.timestamp());
            latest.remove(command.topicKey());
            latest.put(command.topicKey(), command);
          } catch (ControlJson.InvalidCommandException e) {
            // The control source reports it as REJECTED when it reads the record again.
          }
        }
      }
    }
    // Streams first: rules are compiled against them.
    List<RuleCommand> ordered = new ArrayList<>();
    latest.values().stream()
        .filter(c -> c instanceof RuleCommand.DeclareStream)
        .forEach(ordered::add);
    latest.values().stream()
        .filter(c -> !(c instanceof RuleCommand.DeclareStream))
        .forEach(ordered::add);
    return ordered;
  }

  private static KafkaRecords.ControlRecord controlRecord(ConsumerRecord<String, String> record) {
    org.apache.kafka.common.header.Header header =
        record.headers().lastHeader(CommandSignature.HEADER);
    return new KafkaRecords.ControlRecord(
        record.key(),
        record.value(),
        record.timestamp(),
        header == null || header.value() == null
            ? null
            : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8));
  }
}
