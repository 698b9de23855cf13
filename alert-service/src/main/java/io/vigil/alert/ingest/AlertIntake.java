package io.vigil.alert.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.alert.model.Alert;
import io.vigil.alert.model.AlertJson;
import io.vigil.alert.model.MalformedAlertException;
import io.vigil.alert.redis.AlertStore;
import io.vigil.alert.routing.Router;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code vigil.alerts}. Each record is stored in Redis and routed before the listener
 * returns; the container commits offsets only for records whose listener call returned, so a crash
 * at any point makes Kafka redeliver the record, and the Redis scripts make the redelivery a no-op
 * where it already took effect. Any failure other than a malformed record (Redis or Kafka away) is
 * thrown and retried for ever by {@link IngestConfiguration}'s error handler: never skipped.
 */
@Component
class AlertIntake {
  static final String REASON_HEADER = "vigil-dlt-reason";
  private static final Logger log = LoggerFactory.getLogger(AlertIntake.class);

  private final AlertJson json;
  private final AlertStore store;
  private final Router router;
  private final KafkaTemplate<String, String> kafka;
  private final IngestProperties properties;
  private final MeterRegistry metrics;

  AlertIntake(
      AlertJson json,
      AlertStore store,
      Router router,
      KafkaTemplate<String, String> kafka,
      IngestProperties properties,
      MeterRegistry metrics) {
    this.json = json;
    this.store = store;
    this.router = router;
    this.kafka = kafka;
    this.properties = properties;
    this.metrics = metrics;
  }

  @KafkaListener(
      id = "alert-intake",
      idIsGroup = false,
      topics = "${vigil.ingest.topic:vigil.alerts}")
  void onRecord(ConsumerRecord<String, String> record) throws Exception {
    Alert alert;
    try {
      if (record.value() == null) {
        throw new MalformedAlertException("empty record (null value)");
      }
      alert = json.decode(record.value());
    } catch (MalformedAlertException e) {
      deadLetter(record, e.getMessage());
      return;
    }
    MDC.put("alertId", alert.alertId());
    MDC.put("ruleId", alert.ruleId());
    try {
      boolean fresh = store.store(alert);
      metrics
          .counter("vigil.alerts.ingested", "outcome", fresh ? "stored" : "duplicate")
          .increment();
      router.route(alert);
    } finally {
      MDC.remove("alertId");
      MDC.remove("ruleId");
    }
  }

  private void deadLetter(ConsumerRecord<String, String> record, String reason)
      throws InterruptedException, ExecutionException, TimeoutException {
    ProducerRecord<String, String> out =
        new ProducerRecord<>(properties.deadLetterTopic(), record.key(), record.value());
    out.headers().add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
    out.headers()
        .add(
            "vigil-dlt-source",
            (record.topic() + "/" + record.partition() + "@" + record.offset())
                .getBytes(StandardCharsets.UTF_8));
    // Synchronous: the source offset must not be committed before the dead letter is durable.
    kafka.send(out).get(30, TimeUnit.SECONDS);
    metrics.counter("vigil.alerts.ingested", "outcome", "malformed").increment();
    log.warn(
        "malformed alert record {}/{}@{} sent to {}: {}",
        record.topic(),
        record.partition(),
        record.offset(),
        properties.deadLetterTopic(),
        reason);
  }
}
