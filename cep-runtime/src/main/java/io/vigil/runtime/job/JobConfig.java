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

  private static Parser<Integer> positive() {
    return text -> {
      int n = Integer.parseInt(text.trim());
      if (n < 1) {
        throw new IllegalArgumentException("must be at least 1");
      }
      return n;
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
      option("topics.alerts", "vigil.alerts", "Alerts (exactly-once, transactional).", text());
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
  public static final Option<Duration> CHECKPOINT_INTERVAL =
      option(
          "checkpoint.interval", "10s", "Checkpoint interval (alerts commit with it).", duration());
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
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        properties.load(reader);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
      }
      properties.stringPropertyNames().forEach(k -> values.put(k, properties.getProperty(k)));
    }
    values.putAll(overrides);
    for (Map.Entry<String, String> e : values.entrySet()) {
      Option<?> option = OPTIONS.get(e.getKey());
      if (option == null) {
        throw new IllegalArgumentException(
            "unknown option '" + e.getKey() + "'; known: " + String.join(", ", OPTIONS.keySet()));
      }
      try {
        option.parser().apply(e.getValue());
      } catch (RuntimeException ex) {
        throw new IllegalArgumentException(
            "option " + e.getKey() + "='" + e.getValue() + "': " + ex.getMessage(), ex);
      }
    }
    return new JobConfig(values);
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
