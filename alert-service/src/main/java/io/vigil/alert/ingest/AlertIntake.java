package io.vigil.alert.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.alert.delivery.AdmitResult;
import io.vigil.alert.delivery.DeliveriesScheduled;
import io.vigil.alert.model.Alert;
import io.vigil.alert.model.AlertJson;
import io.vigil.alert.model.MalformedAlertException;
import io.vigil.alert.routing.Notification;
import io.vigil.alert.routing.Router;
import io.vigil.alert.routing.RoutingSnapshot;
import io.vigil.alert.routing.RoutingTable;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code vigil.alerts} a whole poll at a time. The batch is stored in Redis and routed
 * before the listener returns: routing runs in memory on the cached configuration ({@link
 * RoutingTable}, one version check per batch), and storing plus scheduling is one Lua script for
 * the batch ({@link BatchWriter}). The container commits the batch's offsets only after the
 * listener returned, so a crash at any point makes Kafka redeliver the batch, and the script makes
 * the redelivery a no-op where it already took effect. Any failure other than a malformed record
 * (Redis or Kafka away) is thrown and the whole batch is retried for ever by {@link
 * IngestConfiguration}'s error handler: never skipped.
 */
@Component
class AlertIntake {
  static final String REASON_HEADER = "vigil-dlt-reason";
  private static final Logger log = LoggerFactory.getLogger(AlertIntake.class);

  private final AlertJson json;
  private final BatchWriter writer;
  private final RoutingTable routing;
  private final Router router;
  private final KafkaTemplate<String, String> kafka;
  private final IngestProperties properties;
  private final MeterRegistry metrics;
  private final Clock clock;
  private final ApplicationEventPublisher events;

  AlertIntake(
      AlertJson json,
      BatchWriter writer,
      RoutingTable routing,
      Router router,
      KafkaTemplate<String, String> kafka,
      IngestProperties properties,
      MeterRegistry metrics,
      Clock clock,
      ApplicationEventPublisher events) {
    this.json = json;
    this.writer = writer;
    this.routing = routing;
    this.router = router;
    this.kafka = kafka;
    this.properties = properties;
    this.metrics = metrics;
    this.clock = clock;
    this.events = events;
  }

  @KafkaListener(
      id = "alert-intake",
      idIsGroup = false,
      batch = "true",
      topics = "${vigil.ingest.topic:vigil.alerts}")
  void onBatch(List<ConsumerRecord<String, String>> records) throws Exception {
    List<Alert> alerts = new ArrayList<>(records.size());
    List<String> encoded = new ArrayList<>(records.size());
    List<CompletableFuture<SendResult<String, String>>> deadLetters = new ArrayList<>();
    for (ConsumerRecord<String, String> record : records) {
      try {
        if (record.value() == null) {
          throw new MalformedAlertException("empty record (null value)");
        }
        Alert alert = json.decode(record.value());
        alerts.add(alert);
        // Encoded once: the same canonical JSON goes to the streams and into every delivery.
        encoded.add(json.encode(alert));
      } catch (MalformedAlertException e) {
        deadLetters.add(deadLetter(record, e.getMessage()));
      }
    }
    if (!alerts.isEmpty()) {
      Instant now = clock.instant();
      RoutingSnapshot snapshot = routing.current();
      List<Notification> notifications = router.route(alerts, snapshot, now);
      BatchWriter.Written written = writer.write(alerts, encoded, notifications, now);
      int scheduled = count(written).getOrDefault(AdmitResult.SCHEDULED, 0);
      if (scheduled > 0) {
        events.publishEvent(new DeliveriesScheduled(scheduled));
      }
      log.debug(
          "stored a batch of {} alerts, {} notifications", alerts.size(), notifications.size());
    }
    // The source offsets must not be committed before the dead letters are durable.
    for (CompletableFuture<SendResult<String, String>> sent : deadLetters) {
      sent.get(30, TimeUnit.SECONDS);
    }
    if (!deadLetters.isEmpty()) {
      metrics
          .counter("vigil.alerts.ingested", "outcome", "malformed")
          .increment(deadLetters.size());
    }
  }

  /** Counts the batch's outcomes in the metrics; the notifications' outcomes, counted. */
  private Map<AdmitResult, Integer> count(BatchWriter.Written written) {
    long stored = written.stored().stream().filter(b -> b).count();
    long duplicates = written.stored().size() - stored;
    if (stored > 0) {
      metrics.counter("vigil.alerts.ingested", "outcome", "stored").increment(stored);
    }
    if (duplicates > 0) {
      metrics.counter("vigil.alerts.ingested", "outcome", "duplicate").increment(duplicates);
    }
    Map<AdmitResult, Integer> outcomes = new EnumMap<>(AdmitResult.class);
    written.admitted().forEach(r -> outcomes.merge(r, 1, Integer::sum));
    outcomes.forEach(
        (r, n) -> metrics.counter("vigil.notifications", "outcome", r.tag()).increment(n));
    return outcomes;
  }

  private CompletableFuture<SendResult<String, String>> deadLetter(
      ConsumerRecord<String, String> record, String reason) {
    ProducerRecord<String, String> out =
        new ProducerRecord<>(properties.deadLetterTopic(), record.key(), record.value());
    out.headers().add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
    out.headers()
        .add(
            "vigil-dlt-source",
            (record.topic() + "/" + record.partition() + "@" + record.offset())
                .getBytes(StandardCharsets.UTF_8));
    log.warn(
        "malformed alert record {}/{}@{} sent to {}: {}",
        record.topic(),
        record.partition(),
        record.offset(),
        properties.deadLetterTopic(),
        reason);
    return kafka.send(out);
  }
}
