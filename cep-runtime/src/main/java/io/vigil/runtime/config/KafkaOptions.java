package io.vigil.runtime.config;

import static io.vigil.runtime.config.Parsers.duration;
import static io.vigil.runtime.config.Parsers.text;

import java.time.Duration;
import java.util.List;

/** The job's Kafka connection and topics. */
public final class KafkaOptions {

  private KafkaOptions() {}

  public static final Option<String> BOOTSTRAP_SERVERS =
      new Option<>("kafka.bootstrap-servers", "localhost:9092", "Kafka bootstrap servers.", text());
  public static final Option<String> EVENTS_TOPIC_PREFIX =
      new Option<>(
          "topics.events-prefix",
          "vigil.events.",
          "Event topics are <prefix><stream>; all are subscribed by pattern.",
          text());
  public static final Option<String> RULES_TOPIC =
      new Option<>(
          "topics.rules", "vigil.rules", "Compacted control topic (key = rule id).", text());
  public static final Option<String> STATUS_TOPIC =
      new Option<>("topics.rule-status", "vigil.rule-status", "Rule acknowledgements.", text());
  public static final Option<String> ALERTS_TOPIC =
      new Option<>(
          "topics.alerts",
          "vigil.alerts",
          "Alerts (deterministic alertId; see alerts.delivery).",
          text());
  public static final Option<String> LATE_TOPIC =
      new Option<>(
          "topics.late", "vigil.late", "Events that arrived after their lateness.", text());
  public static final Option<String> DEAD_LETTER_TOPIC =
      new Option<>("topics.dead-letter", "vigil.dead-letter", "Undecodable input records.", text());
  public static final Option<String> GROUP_ID =
      new Option<>("kafka.group-id", "vigil-job", "Consumer group of the event sources.", text());
  public static final Option<Duration> DISCOVERY_INTERVAL =
      new Option<>(
          "kafka.topic-discovery-interval",
          "10s",
          "How often new event topics (new streams) are looked for.",
          duration());
  public static final Option<Duration> TRANSACTION_TIMEOUT =
      new Option<>(
          "kafka.transaction-timeout",
          "10m",
          "Timeout of the alert sink's transactions (≤ the broker's transaction.max.timeout.ms).",
          duration());
  public static final Option<String> KAFKA_PROPERTIES_FILE =
      new Option<>(
          "kafka.properties-file",
          "",
          "A Java properties file of Kafka client settings (security.protocol, sasl.*, ssl.*, …)"
              + " given to every Kafka client of the job; kafka.properties.<name> options win.",
          text());

  /**
   * Options named {@code kafka.properties.<name>} are Kafka client settings given verbatim to every
   * Kafka client the job creates (sources, sinks, the start-up reader of the control topic).
   */
  public static final String KAFKA_PROPERTIES_PREFIX = "kafka.properties.";

  /** The options of this group, in documentation order. */
  public static List<Option<?>> all() {
    return List.of(
        BOOTSTRAP_SERVERS,
        EVENTS_TOPIC_PREFIX,
        RULES_TOPIC,
        STATUS_TOPIC,
        ALERTS_TOPIC,
        LATE_TOPIC,
        DEAD_LETTER_TOPIC,
        GROUP_ID,
        DISCOVERY_INTERVAL,
        TRANSACTION_TIMEOUT,
        KAFKA_PROPERTIES_FILE);
  }
}
