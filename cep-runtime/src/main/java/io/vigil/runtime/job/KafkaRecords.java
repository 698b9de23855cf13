package io.vigil.runtime.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.alert.AlertJson;
import io.vigil.runtime.control.CommandSignature;
import io.vigil.runtime.control.ControlJson;
import io.vigil.runtime.control.RuleStatus;
import io.vigil.runtime.source.DeadLetter;
import io.vigil.runtime.source.EventRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/** How the job's records look on Kafka: keys, values and the topic-name convention. */
final class KafkaRecords {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private KafkaRecords() {}

  /**
   * Event topics: the stream name is the topic name without the prefix; the value stays bytes until
   * the router decodes it.
   */
  static final class EventRecords implements KafkaRecordDeserializationSchema<EventRecord> {
    private static final long serialVersionUID = 1L;
    private static final byte[] NO_VALUE = new byte[0];
    private final String prefix;

    EventRecords(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<EventRecord> out) {
      String topic = record.topic();
      String stream = topic.startsWith(prefix) ? topic.substring(prefix.length()) : topic;
      byte[] value = record.value() == null ? NO_VALUE : record.value();
      out.collect(new EventRecord(stream, value, topic, record.partition(), record.offset()));
    }

    @Override
    public TypeInformation<EventRecord> getProducedType() {
      return TypeInformation.of(EventRecord.class);
    }
  }

  /**
   * A record of the control topic, not parsed yet (a bad one must become a REJECTED status).
   *
   * @param signature the value of the {@link CommandSignature#HEADER} header, or null
   */
  record ControlRecord(String key, String value, long timestamp, String signature)
      implements java.io.Serializable {}

  static final class ControlRecords implements KafkaRecordDeserializationSchema<ControlRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ControlRecord> out)
        throws IOException {
      out.collect(
          new ControlRecord(
              record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
              record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8),
              record.timestamp(),
              signature(record.headers())));
    }

    private static String signature(org.apache.kafka.common.header.Headers headers) {
      org.apache.kafka.common.header.Header header = headers.lastHeader(CommandSignature.HEADER);
      return header == null || header.value() == null
          ? null
          : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public TypeInformation<ControlRecord> getProducedType() {
      return TypeInformation.of(ControlRecord.class);
    }
  }

  /** Alerts keyed by alert id: a consumer can de-duplicate replays by key. */
  static KafkaRecordSerializationSchema<Alert> alerts(String topic) {
    return (alert, context, timestamp) ->
        new ProducerRecord<>(
            topic,
            alert.alertId().getBytes(StandardCharsets.UTF_8),
            AlertJson.write(alert).getBytes(StandardCharsets.UTF_8));
  }

  static KafkaRecordSerializationSchema<RuleStatus> statuses(String topic) {
    return (status, context, timestamp) ->
        new ProducerRecord<>(
            topic,
            status.ruleId().getBytes(StandardCharsets.UTF_8),
            ControlJson.write(status).getBytes(StandardCharsets.UTF_8));
  }

  static KafkaRecordSerializationSchema<String> late(String topic) {
    return (json, context, timestamp) ->
        new ProducerRecord<>(topic, null, json.getBytes(StandardCharsets.UTF_8));
  }

  static KafkaRecordSerializationSchema<DeadLetter> deadLetters(String topic) {
    return (letter, context, timestamp) ->
        new ProducerRecord<>(topic, null, deadLetterJson(letter).getBytes(StandardCharsets.UTF_8));
  }

  /** {@code {reason, stream, payload, source:{topic,partition,offset}, at}}. */
  static String deadLetterJson(DeadLetter letter) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("reason", letter.reason());
    node.put("stream", letter.stream());
    node.put("payload", letter.payload());
    ObjectNode source = node.putObject("source");
    source.put("topic", letter.source());
    source.put("partition", letter.partition());
    source.put("offset", letter.offset());
    node.put("at", Instant.ofEpochMilli(letter.at()).toString());
    return node.toString();
  }
}
