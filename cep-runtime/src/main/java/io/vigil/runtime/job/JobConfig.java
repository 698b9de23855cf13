package io.vigil.runtime.job;

import io.vigil.compiler.event.DecodingLimits;
import io.vigil.dsl.limits.Limits;
import io.vigil.runtime.config.AlertOptions;
import io.vigil.runtime.config.DroolsOptions;
import io.vigil.runtime.config.EventOptions;
import io.vigil.runtime.config.FlinkOptions;
import io.vigil.runtime.config.KafkaOptions;
import io.vigil.runtime.config.MatcherOptions;
import io.vigil.runtime.config.Option;
import io.vigil.runtime.config.Parsers;
import io.vigil.runtime.config.RuleOptions;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The options of {@code vigil job}, each declared once with its type, default and documentation and
 * validated when the configuration is built: a wrong value fails at start-up with the option's
 * name. Values come from defaults, then a properties file, then {@code --key value} flags. The
 * options are declared in groups ({@code io.vigil.runtime.config}); docs/runtime.md lists them all,
 * and a test holds that table to these declarations.
 */
public final class JobConfig implements Serializable {

  private static final long serialVersionUID = 1L;

  // The options, declared in their groups (io.vigil.runtime.config) and named here too, so that
  // callers read every option of the job from one class.

  public static final Option<String> BOOTSTRAP_SERVERS = KafkaOptions.BOOTSTRAP_SERVERS;
  public static final Option<String> EVENTS_TOPIC_PREFIX = KafkaOptions.EVENTS_TOPIC_PREFIX;
  public static final Option<String> RULES_TOPIC = KafkaOptions.RULES_TOPIC;
  public static final Option<String> STATUS_TOPIC = KafkaOptions.STATUS_TOPIC;
  public static final Option<String> ALERTS_TOPIC = KafkaOptions.ALERTS_TOPIC;
  public static final Option<String> LATE_TOPIC = KafkaOptions.LATE_TOPIC;
  public static final Option<String> DEAD_LETTER_TOPIC = KafkaOptions.DEAD_LETTER_TOPIC;
  public static final Option<String> GROUP_ID = KafkaOptions.GROUP_ID;
  public static final Option<Duration> DISCOVERY_INTERVAL = KafkaOptions.DISCOVERY_INTERVAL;
  public static final Option<Duration> TRANSACTION_TIMEOUT = KafkaOptions.TRANSACTION_TIMEOUT;
  public static final Option<String> KAFKA_PROPERTIES_FILE = KafkaOptions.KAFKA_PROPERTIES_FILE;
  public static final String KAFKA_PROPERTIES_PREFIX = KafkaOptions.KAFKA_PROPERTIES_PREFIX;

  public static final Option<String> STARTING_OFFSETS = EventOptions.STARTING_OFFSETS;
  public static final Option<Duration> WATERMARK_INTERVAL = EventOptions.WATERMARK_INTERVAL;
  public static final Option<Duration> IDLENESS = EventOptions.IDLENESS;
  public static final Option<DecodingLimits> DECODING_LIMITS = EventOptions.DECODING_LIMITS;
  public static final Option<Duration> MAX_AHEAD_OF_WATERMARK = EventOptions.MAX_AHEAD_OF_WATERMARK;
  public static final Option<Duration> MAX_AHEAD_OF_CLOCK = EventOptions.MAX_AHEAD_OF_CLOCK;

  public static final Option<String> SIGNING_KEY = RuleOptions.SIGNING_KEY;
  public static final Option<Limits> RULE_LIMITS = RuleOptions.RULE_LIMITS;
  public static final Option<Integer> MAX_LIVE_RULES = RuleOptions.MAX_LIVE_RULES;
  public static final Option<Long> MAX_VERSION_JUMP = RuleOptions.MAX_VERSION_JUMP;
  public static final Option<Integer> MAX_UNKNOWN_IDS = RuleOptions.MAX_UNKNOWN_IDS;

  public static final Option<Integer> MAX_PARTIAL_MATCHES = MatcherOptions.MAX_PARTIAL_MATCHES;
  public static final Option<Duration> IDLE_KEY_TTL = MatcherOptions.IDLE_KEY_TTL;
  public static final Option<Integer> MAX_QUEUED_EVENTS_PER_KEY =
      MatcherOptions.MAX_QUEUED_EVENTS_PER_KEY;

  public static final Option<Integer> DRL_MAX_FIRINGS = DroolsOptions.DRL_MAX_FIRINGS;
  public static final Option<Duration> DRL_MAX_TIME = DroolsOptions.DRL_MAX_TIME;
  public static final Option<Integer> DRL_MAX_FACTS_PER_KEY = DroolsOptions.DRL_MAX_FACTS_PER_KEY;

  public static final Option<Integer> ALERT_MAX_EVENTS_PER_STAGE =
      AlertOptions.ALERT_MAX_EVENTS_PER_STAGE;
  public static final Option<Integer> ALERT_MAX_BYTES = AlertOptions.ALERT_MAX_BYTES;

  public static final Option<Integer> PARALLELISM = FlinkOptions.PARALLELISM;
  public static final Option<Integer> MAX_PARALLELISM = FlinkOptions.MAX_PARALLELISM;
  public static final Option<Duration> BUFFER_TIMEOUT = FlinkOptions.BUFFER_TIMEOUT;
  public static final Option<Duration> CHECKPOINT_INTERVAL = FlinkOptions.CHECKPOINT_INTERVAL;
  public static final Option<String> CHECKPOINT_DIR = FlinkOptions.CHECKPOINT_DIR;
  public static final Option<String> STATE_BACKEND = FlinkOptions.STATE_BACKEND;
  public static final Option<String> RESTORE_FROM = FlinkOptions.RESTORE_FROM;
  public static final Option<Integer> RESTART_ATTEMPTS = FlinkOptions.RESTART_ATTEMPTS;

  /** How alerts reach the alerts topic; see docs/runtime.md, Alert delivery. */
  public enum AlertDelivery {
    /** Written without transactions as soon as they are detected; replays repeat the same ids. */
    LOW_LATENCY,
    /** Written in Kafka transactions committed by each checkpoint. */
    EXACTLY_ONCE
  }

  public static final Option<AlertDelivery> ALERT_DELIVERY =
      new Option<>(
          "alerts.delivery",
          "low-latency",
          "low-latency: alerts are written at once, without transactions (visible in tens of"
              + " milliseconds; after a failure the alerts since the last checkpoint are written"
              + " again with the same alertId, which the alert service de-duplicates);"
              + " exactly-once: alerts are written in transactions that commit with each"
              + " checkpoint (a read_committed reader sees each alert once, a checkpoint interval"
              + " later).",
          t ->
              switch (t.trim()) {
                case "low-latency" -> AlertDelivery.LOW_LATENCY;
                case "exactly-once" -> AlertDelivery.EXACTLY_ONCE;
                default ->
                    throw new IllegalArgumentException("expected low-latency or exactly-once");
              });

  private static final Map<String, Option<?>> OPTIONS = new LinkedHashMap<>();

  static {
    List<Option<?>> all = new ArrayList<>();
    all.addAll(KafkaOptions.all());
    all.addAll(EventOptions.all());
    all.addAll(RuleOptions.all());
    all.addAll(MatcherOptions.all());
    all.addAll(DroolsOptions.all());
    all.add(ALERT_DELIVERY);
    all.addAll(AlertOptions.all());
    all.addAll(FlinkOptions.all());
    all.forEach(option -> OPTIONS.put(option.name(), option));
  }

  /** {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 1d}. */
  public static Duration parseDuration(String text) {
    return Parsers.duration().apply(text);
  }

  /** Kafka's default {@code max.request.size}. */
  private static final int KAFKA_DEFAULT_MAX_REQUEST_SIZE = 1_048_576;

  private final Map<String, String> values;

  private JobConfig(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /**
   * Defaults, then {@code file} (if given), then {@code overrides}; every value is validated and an
   * unknown key is an error (a typo would otherwise be silently ignored).
   */
  public static JobConfig load(Path file, Map<String, String> overrides) {
    Map<String, String> values = new LinkedHashMap<>();
    OPTIONS.values().forEach(o -> values.put(o.name(), o.defaultValue()));
    if (file != null) {
      values.putAll(readProperties(file));
    }
    values.putAll(overrides);
    String clientFile = values.getOrDefault(KAFKA_PROPERTIES_FILE.name(), "").trim();
    if (!clientFile.isEmpty()) {
      // Explicit kafka.properties.<name> options win over the file's.
      readProperties(Path.of(clientFile))
          .forEach((k, v) -> values.putIfAbsent(KAFKA_PROPERTIES_PREFIX + k, v));
    }
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (e.getKey().startsWith(KAFKA_PROPERTIES_PREFIX)
          && e.getKey().length() > KAFKA_PROPERTIES_PREFIX.length()) {
        continue;
      }
      Option<?> option = OPTIONS.get(e.getKey());
      if (option == null) {
        throw new IllegalArgumentException(
            "unknown option '"
                + e.getKey()
                + "'; known: "
                + String.join(", ", OPTIONS.keySet())
                + ", and "
                + KAFKA_PROPERTIES_PREFIX
                + "<Kafka client setting>");
      }
      try {
        option.parser().apply(e.getValue());
      } catch (RuntimeException ex) {
        throw new IllegalArgumentException(
            "option " + e.getKey() + "='" + e.getValue() + "': " + ex.getMessage(), ex);
      }
    }
    JobConfig config = new JobConfig(values);
    int maxRequestSize =
        Integer.parseInt(
            config
                .kafkaProperties()
                .getProperty("max.request.size", Integer.toString(KAFKA_DEFAULT_MAX_REQUEST_SIZE))
                .trim());
    if (config.get(ALERT_MAX_BYTES) >= maxRequestSize) {
      throw new IllegalArgumentException(
          "option "
              + ALERT_MAX_BYTES.name()
              + "="
              + config.get(ALERT_MAX_BYTES)
              + " must be below the producer's max.request.size ("
              + maxRequestSize
              + ")");
    }
    return config;
  }

  private static Map<String, String> readProperties(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> out = new LinkedHashMap<>();
    properties.stringPropertyNames().forEach(k -> out.put(k, properties.getProperty(k)));
    return out;
  }

  /**
   * The Kafka client settings of every client of the job: {@code kafka.properties.<name>} options
   * (and the {@code kafka.properties-file}), without the prefix. The job's own settings (bootstrap
   * servers, group ids, isolation level, transactions, serializers) are applied after them and win.
   */
  public Properties kafkaProperties() {
    Properties properties = new Properties();
    values.forEach(
        (k, v) -> {
          if (k.startsWith(KAFKA_PROPERTIES_PREFIX)) {
            properties.setProperty(k.substring(KAFKA_PROPERTIES_PREFIX.length()), v);
          }
        });
    return properties;
  }

  public static JobConfig defaults() {
    return load(null, Map.of());
  }

  public <T> T get(Option<T> option) {
    return option.parser().apply(values.get(option.name()));
  }

  /**
   * The topics the job reads and writes besides the events' (which it finds by their prefix): the
   * rules, statuses, alerts, late events and dead letters. They must exist before it starts where
   * the broker creates no topic on first use.
   */
  public List<String> topics() {
    return List.of(
        get(RULES_TOPIC),
        get(STATUS_TOPIC),
        get(ALERTS_TOPIC),
        get(LATE_TOPIC),
        get(DEAD_LETTER_TOPIC));
  }

  public JobConfig with(Map<String, String> overrides) {
    Map<String, String> merged = new LinkedHashMap<>(values);
    merged.putAll(overrides);
    return load(null, merged);
  }

  /** The documented options, for {@code --help} and docs/runtime.md. */
  public static List<Option<?>> options() {
    return List.copyOf(OPTIONS.values());
  }
}
