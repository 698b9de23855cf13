package io.vigil.runtime.deploy;

import io.vigil.runtime.control.CommandSignature;
import io.vigil.runtime.control.ControlJson;
import io.vigil.runtime.control.RuleCommand;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Writes commands: each to the history topic under {@code <key>@<version>} and to the control topic
 * under its key (a delete as a tombstone), all of one call in one Kafka transaction, every record
 * signed when the settings carry a key. Not thread-safe: the deployer serializes calls.
 */
final class Publisher implements AutoCloseable {

  private final DeploySettings settings;
  private final KafkaClients clients;
  private KafkaProducer<byte[], byte[]> producer;

  Publisher(DeploySettings settings, KafkaClients clients) {
    this.settings = settings;
    this.clients = clients;
  }

  void send(List<Publication> publications, Instant now) {
    try {
      if (producer == null) {
        producer = clients.producer();
      }
      producer.beginTransaction();
      for (Publication p : publications) {
        String json = ControlJson.write(p.command());
        producer.send(
            record(
                settings.versionsTopic(), RuleVersion.historyKey(p.key(), p.version()), json, now));
        boolean tombstone = p.command() instanceof RuleCommand.DeleteRule;
        producer.send(record(settings.rulesTopic(), p.key(), tombstone ? null : json, now));
      }
      producer.commitTransaction();
    } catch (org.apache.kafka.common.KafkaException e) {
      if (producer != null) {
        try {
          producer.abortTransaction();
        } catch (org.apache.kafka.common.KafkaException abortFailed) {
          e.addSuppressed(abortFailed);
        }
        // A fenced or broken producer cannot be used again.
        producer.close(Duration.ZERO);
        producer = null;
      }
      throw new DeployException("publishing failed, nothing was deployed: " + e.getMessage(), e);
    }
  }

  private ProducerRecord<byte[], byte[]> record(
      String topic, String key, String value, Instant timestamp) {
    byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
    byte[] valueBytes = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(topic, null, timestamp.toEpochMilli(), keyBytes, valueBytes);
    Optional<CommandSignature> signature = settings.signature();
    signature.ifPresent(
        s ->
            record
                .headers()
                .add(
                    new RecordHeader(
                        CommandSignature.HEADER,
                        s.sign(keyBytes, valueBytes).getBytes(StandardCharsets.UTF_8))));
    return record;
  }

  @Override
  public void close() {
    if (producer != null) {
      producer.close();
      producer = null;
    }
  }
}
