package io.vigil.console;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes alerts to {@code vigil.alerts} as the job writes them (docs/alerts.md). */
public final class AlertsTopic {
  private AlertsTopic() {}

  /** Publishes one high-severity alert of {@code ruleId} and returns its id. */
  public static String publish(String ruleId) {
    String alertId = UUID.randomUUID().toString().replace("-", "");
    String now = Instant.now().toString();
    String json =
        """
        {"alertId":"%s","ruleId":"%s","ruleVersion":1,"kind":"MATCH","severity":"high",
         "title":"Test of %s","message":"","tags":["fraud"],"owner":"team-x",
         "key":{"cardId":"c-1"},"startTime":"%s","endTime":"%s","detectedAt":"%s","events":{}}
        """
            .formatted(alertId, ruleId, ruleId, now, now, now);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                RealKafka.get().servers(),
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new StringSerializer())) {
      producer.send(new ProducerRecord<>("vigil.alerts", ruleId, json)).get();
    } catch (Exception e) {
      throw new IllegalStateException("could not publish an alert", e);
    }
    return alertId;
  }
}
