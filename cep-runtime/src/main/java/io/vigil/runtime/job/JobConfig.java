package io.vigil.runtime.job;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * The options of {@code vigil job}, each declared once with its type, default and documentation and
 * validated when the configuration is built: a wrong value fails at start-up with the option's
 * name. Values come from defaults, then a properties file, then {@code --key value} flags.
 */
public final class JobConfig implements Serializable {

  private static final long serialVersionUID = 1L;

  /** One option: name, default (as text), documentation and parser. */
  public record Option<T>(String name, String defaultValue, String doc, Parser<T> parser)
      implements Serializable {}

  /** Parses an option value; a failure names the option. */
  @FunctionalInterface
  public interface Parser<T> extends Function<String, T>, Serializable {}

  private static final Map<String, Option<?>> OPTIONS = new LinkedHashMap<>();

  private static <T> Option<T> option(String name, String defaultValue, String doc, Parser<T> p) {
    Option<T> option = new Option<>(name, defaultValue, doc, p);
    OPTIONS.put(name, option);
    return option;
  }

  private static Parser<Duration> duration() {
    return text -> {
      String t = text.trim().toLowerCase(java.util.Locale.ROOT);
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      return switch (t.charAt(t.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        case 'd' -> Duration.ofDays(n);
        default -> throw new IllegalArgumentException("expected e.g. 500ms, 10s, 5m, 1h, 1d");
      };
    };
  }

  /** {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 1d}. */
  public static Duration parseDuration(String text) {
    return duration().apply(text);
  }

  private static Parser<Integer> positive() {
    return text -> {
      int n = Integer.parseInt(text.trim());
      if (n < 1) {
        throw new IllegalArgumentException("must be at least 1");
      }
      return n;
    };
  }

  private static Parser<Integer> atLeast(int min) {
    return text -> {
      int n = Integer.parseInt(text.trim());
      if (n < min) {
        throw new IllegalArgumentException("must be at least " + min);
      }
      return n;
    };
  }

  private static Parser<Long> positiveLong() {
    return text -> {
      long n = Long.parseLong(text.trim());
      if (n < 1) {
        throw new IllegalArgumentException("must be at least 1");
      }
      return n;
    };
  }

  /** Sets one named limit of a limits value; throws, naming it, for an unknown name or value. */
  private interface Override<T> extends Serializable {
    T apply(T current, String name, String value);
  }

  /** {@code NAME=VALUE,NAME=VALUE} applied one by one to {@code defaults}; empty: the defaults. */
  private static <T extends Serializable> Parser<T> overrides(T defaults, Override<T> override) {
    return text -> {
      T result = defaults;
      for (String pair : text.split(",")) {
        if (pair.isBlank()) {
          continue;
        }
        int eq = pair.indexOf('=');
        if (eq < 0) {
          throw new IllegalArgumentException("expected NAME=VALUE, got `" + pair.strip() + "`");
        }
        result = override.apply(result, pair.substring(0, eq).strip(), pair.substring(eq + 1));
      }
      return result;
    };
  }

  private static Parser<String> text() {
    return String::trim;
  }

  public static final Option<String> BOOTSTRAP_SERVERS =
      option("kafka.bootstrap-servers", "localhost:9092", "Kafka bootstrap servers.", text());
  public static final Option<String> EVENTS_TOPIC_PREFIX =
      option(
          "topics.events-prefix",
          "vigil.events.",
          "Event topics are <prefix><stream>; all are subscribed by pattern.",
          text());
  public static final Option<String> RULES_TOPIC =
      option("topics.rules", "vigil.rules", "Compacted control topic (key = rule id).", text());
  public static final Option<String> STATUS_TOPIC =
      option("topics.rule-status", "vigil.rule-status", "Rule acknowledgements.", text());
  public static final Option<String> ALERTS_TOPIC =
      option(
          "topics.alerts",
          "vigil.alerts",
          "Alerts (deterministic alertId; see alerts.delivery).",
          text());
  public static final Option<String> LATE_TOPIC =
      option("topics.late", "vigil.late", "Events that arrived after their lateness.", text());
  public static final Option<String> DEAD_LETTER_TOPIC =
      option("topics.dead-letter", "vigil.dead-letter", "Undecodable input records.", text());
  public static final Option<String> SIGNING_KEY =
      option(
          "control.signing-key",
          "",
          "Shared secret (at least 16 bytes) of signed rule commands; when set (here or in the"
              + " environment variable "
              + io.vigil.runtime.control.CommandSignature.ENV_VAR
              + "), control records without a valid "
              + io.vigil.runtime.control.CommandSignature.HEADER
              + " header are not applied but answered REJECTED.",
          t -> {
            String secret = t.trim();
            if (!secret.isEmpty()) {
              io.vigil.runtime.control.CommandSignature.ofSecret(secret);
            }
            return secret;
          });
  public static final Option<String> GROUP_ID =
      option("kafka.group-id", "vigil-job", "Consumer group of the event sources.", text());
  public static final Option<String> STARTING_OFFSETS =
      option(
          "events.starting-offsets",
          "committed",
          "Where a fresh job starts reading events: earliest, latest or committed (falls back to"
              + " earliest). A restored job always continues from its checkpoint.",
          t -> {
            String v = t.trim();
            if (!List.of("earliest", "latest", "committed").contains(v)) {
              throw new IllegalArgumentException("expected earliest, latest or committed");
            }
            return v;
          });
  public static final Option<Duration> DISCOVERY_INTERVAL =
      option(
          "kafka.topic-discovery-interval",
          "10s",
          "How often new event topics (new streams) are looked for.",
          duration());
  public static final Option<Integer> PARALLELISM =
      option("parallelism", "1", "Parallelism of the matcher and the sources.", positive());
  public static final Option<Integer> MAX_PARALLELISM =
      option(
          "max-parallelism",
          "128",
          "Upper bound of the parallelism a checkpoint can be restored with; never change it.",
          positive());

  /** How alerts reach the alerts topic; see docs/runtime.md, Alert delivery. */
  public enum AlertDelivery {
    /** Written without transactions as soon as they are detected; replays repeat the same ids. */
    LOW_LATENCY,
    /** Written in Kafka transactions committed by each checkpoint. */
    EXACTLY_ONCE
  }

  public static final Option<AlertDelivery> ALERT_DELIVERY =
      option(
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
  public static final Option<Duration> WATERMARK_INTERVAL =
      option(
          "events.watermark-interval",
          "20ms",
          "How often event time (the watermark) is advanced: an event is evaluated at most this"
              + " long after the watermark could pass it.",
          text -> {
            Duration d = parseDuration(text);
            if (d.isZero() || d.isNegative()) {
              throw new IllegalArgumentException("must be positive");
            }
            return d;
          });
  public static final Option<Duration> BUFFER_TIMEOUT =
      option(
          "network.buffer-timeout",
          "10ms",
          "How long a record may wait in a partly filled network buffer between the job's tasks"
              + " (Flink's execution.buffer-timeout.interval, 100ms by default there); it adds up"
              + " to this per hop (source → router → matcher → sink) to every alert.",
          text -> {
            Duration d = parseDuration(text);
            if (d.isZero() || d.isNegative()) {
              throw new IllegalArgumentException("must be positive");
            }
            return d;
          });
  public static final Option<Duration> CHECKPOINT_INTERVAL =
      option(
          "checkpoint.interval",
          "10s",
          "Checkpoint interval (with alerts.delivery=exactly-once, alerts commit with it).",
          duration());
  public static final Option<String> CHECKPOINT_DIR =
      option(
          "checkpoint.dir",
          "file:///tmp/vigil/checkpoints",
          "Where checkpoints are kept (retained on cancellation).",
          text());
  public static final Option<String> STATE_BACKEND =
      option(
          "state.backend",
          "hashmap",
          "hashmap (heap) or rocksdb.",
          t -> {
            String v = t.trim();
            if (!v.equals("hashmap") && !v.equals("rocksdb")) {
              throw new IllegalArgumentException("expected hashmap or rocksdb");
            }
            return v;
          });
  public static final Option<String> RESTORE_FROM =
      option(
          "restore-from",
          "",
          "A checkpoint or savepoint path to restore from (any parallelism).",
          text());
  public static final Option<Duration> IDLENESS =
      option(
          "events.idleness",
          "30s",
          "A stream without events for this long stops holding back event time.",
          duration());
  public static final Option<Integer> MAX_PARTIAL_MATCHES =
      option(
          "matcher.max-partial-matches",
          "10000",
          "Live partial matches allowed per rule and key; the oldest beyond are dropped.",
          positive());
  public static final Option<Duration> IDLE_KEY_TTL =
      option(
          "matcher.idle-key-ttl",
          "1d",
          "Event time after which a key without events loses all its state.",
          duration());
  public static final Option<Duration> TRANSACTION_TIMEOUT =
      option(
          "kafka.transaction-timeout",
          "10m",
          "Timeout of the alert sink's transactions (≤ the broker's transaction.max.timeout.ms).",
          duration());
  public static final Option<Integer> RESTART_ATTEMPTS =
      option(
          "restart.attempts",
          "10",
          "Restarts after a task failure before the job fails.",
          positive());

  public static final Option<io.vigil.dsl.limits.Limits> RULE_LIMITS =
      option(
          "rules.limits",
          "",
          "Overrides of the rule language's limits as NAME=VALUE pairs separated by commas, e.g."
              + " quantifier=100,nesting-depth=50 (names and defaults: docs/language.md, Limits; the"
              + " same as vigil check --limit). A rule or stream beyond them is REJECTED.",
          overrides(io.vigil.dsl.limits.Limits.defaults(), io.vigil.dsl.limits.Limits::with));
  public static final Option<io.vigil.compiler.event.DecodingLimits> DECODING_LIMITS =
      option(
          "events.decoding-limits",
          "",
          "Overrides of the event decoder's limits as NAME=VALUE pairs separated by commas:"
              + " string-length, decimal-digits, nesting-depth (defaults: docs/language.md). An"
              + " event beyond them is a dead letter with the reason.",
          overrides(
              io.vigil.compiler.event.DecodingLimits.defaults(),
              io.vigil.compiler.event.DecodingLimits::with));
  public static final Option<Integer> MAX_LIVE_RULES =
      option(
          "rules.max-live",
          "10000",
          "Rules running at once; a new rule beyond it is REJECTED (running ones can be updated).",
          positive());
  public static final Option<Long> MAX_VERSION_JUMP =
      option(
          "rules.max-version-jump",
          Long.toString(io.vigil.runtime.rules.RuleLimits.DEFAULT_MAX_VERSION_JUMP),
          "How far above a rule's (or stream's) current version a command may jump (from 0 for a new"
              + " one); a command beyond it is REJECTED, so no version can lock a rule for good.",
          positiveLong());
  public static final Option<Integer> MAX_UNKNOWN_IDS =
      option(
          "rules.max-unknown-ids",
          "10000",
          "Ids that were only ever disabled (never had a rule) that the job remembers for their"
              + " version; further ones are acknowledged but not kept (metric unknownRuleIdsNotKept).",
          atLeast(0));
  public static final Option<Duration> MAX_AHEAD_OF_WATERMARK =
      option(
          "events.max-ahead-of-watermark",
          "1d",
          "An event dated more than this ahead of its stream's watermark goes to the dead-letter"
              + " topic instead of moving event time (0s: off).",
          duration());
  public static final Option<Duration> MAX_AHEAD_OF_CLOCK =
      option(
          "events.max-ahead-of-clock",
          "1d",
          "An event dated more than this ahead of the wall clock goes to the dead-letter topic"
              + " (0s: off).",
          duration());
  public static final Option<Integer> MAX_QUEUED_EVENTS_PER_KEY =
      option(
          "matcher.max-queued-events-per-key",
          "100000",
          "Events of one key waiting for the watermark; further ones are dropped and counted"
              + " (metric eventsDroppedByKeyQueueCap; 0: no cap).",
          atLeast(0));
  public static final Option<Integer> ALERT_MAX_EVENTS_PER_STAGE =
      option(
          "alerts.max-events-per-stage",
          "100",
          "Matched events an alert carries per stage (the first and last halves); the others are"
              + " counted in the alert's `dropped` (0: all).",
          atLeast(0));
  public static final Option<Integer> ALERT_MAX_BYTES =
      option(
          "alerts.max-bytes",
          Integer.toString(io.vigil.runtime.alert.AlertLimits.DEFAULT_MAX_BYTES),
          "Maximum size of an alert's JSON; a larger one loses events, then has its texts cut"
              + " (`truncated`). Must be below the producer's max.request.size.",
          atLeast(4096));
  public static final Option<String> KAFKA_PROPERTIES_FILE =
      option(
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
