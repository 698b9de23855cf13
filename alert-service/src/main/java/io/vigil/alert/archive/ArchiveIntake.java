package io.vigil.alert.archive;

import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.alert.model.Alert;
import io.vigil.alert.model.AlertJson;
import io.vigil.alert.model.MalformedAlertException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Archives the alerts topic in its own consumer group, a whole poll at a time. The container
 * commits the offsets only after the batch is in the database, so a crash or a database outage
 * makes Kafka deliver the batch again, and {@code ON CONFLICT (alert_id) DO NOTHING} turns the
 * alerts already archived into no-ops. Failures are retried for ever by the service's error handler
 * (never skipped). Malformed records are skipped here: the ingest path dead-letters them.
 */
class ArchiveIntake {
  private final ArchiveStore store;
  private final AlertJson json;
  private final String topic;
  private final String group;
  private final MeterRegistry metrics;

  ArchiveIntake(
      ArchiveStore store, AlertJson json, String topic, String group, MeterRegistry metrics) {
    this.store = store;
    this.json = json;
    this.topic = topic;
    this.group = group;
    this.metrics = metrics;
  }

  public String getTopic() {
    return topic;
  }

  public String getGroup() {
    return group;
  }

  @KafkaListener(
      id = "alert-archive",
      idIsGroup = false,
      groupId = "#{__listener.group}",
      batch = "true",
      topics = "#{__listener.topic}")
  void onBatch(List<ConsumerRecord<String, String>> records) {
    List<Alert> alerts = new ArrayList<>(records.size());
    List<String> encoded = new ArrayList<>(records.size());
    for (ConsumerRecord<String, String> record : records) {
      if (record.value() == null) {
        continue;
      }
      try {
        Alert alert = json.decode(record.value());
        alerts.add(alert);
        encoded.add(json.encode(alert));
      } catch (MalformedAlertException e) {
        // dead-lettered by the ingest path, which reads the same records
      }
    }
    if (alerts.isEmpty()) {
      return;
    }
    int inserted = store.insert(alerts, encoded);
    metrics.counter("vigil.archive.alerts", "outcome", "archived").increment(inserted);
    if (inserted < alerts.size()) {
      metrics
          .counter("vigil.archive.alerts", "outcome", "duplicate")
          .increment(alerts.size() - inserted);
    }
  }
}
