package io.vigil.runtime.job;

import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.alert.AlertLimits;
import io.vigil.runtime.control.CommandSignature;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import io.vigil.runtime.engine.VigilEngine;
import io.vigil.runtime.matcher.MatcherSettings;
import io.vigil.runtime.routing.EventTimeLimits;
import io.vigil.runtime.rules.RuleLimits;
import io.vigil.runtime.rules.compiled.CompilingRuleBuilder;
import io.vigil.runtime.source.EventRecord;
import io.vigil.runtime.source.EventRecordDecoding;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The long-running job: Kafka event topics (by pattern) and the control topic in; alerts (at once
 * or exactly-once, {@code alerts.delivery}), rule statuses, late events and dead letters out. See
 * docs/runtime.md.
 */
public final class VigilJob {

  private VigilJob() {}

  /** The Flink configuration the job needs (checkpointing, state backend, restarts, restore). */
  public static Configuration flinkConfiguration(JobConfig config) {
    Configuration flink = new Configuration();
    flink.set(StateBackendOptions.STATE_BACKEND, config.get(JobConfig.STATE_BACKEND));
    flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, config.get(JobConfig.CHECKPOINT_DIR));
    flink.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    flink.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    flink.set(
        RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS,
        config.get(JobConfig.RESTART_ATTEMPTS));
    flink.set(
        RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, java.time.Duration.ofSeconds(1));
    flink.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, config.get(JobConfig.WATERMARK_INTERVAL));
    flink.set(ExecutionOptions.BUFFER_TIMEOUT, config.get(JobConfig.BUFFER_TIMEOUT));
    String restore = config.get(JobConfig.RESTORE_FROM);
    if (!restore.isEmpty()) {
      flink.setString("execution.state-recovery.path", restore);
    }
    return flink;
  }

  /**
   * Adds the job to {@code env}.
   *
   * @param initial the control topic's content at start-up ({@link #readInitialRules})
   * @param eventsHook applied to the raw event stream before routing (tests inject failures here;
   *     pass {@link UnaryOperator#identity()})
   */
  public static void build(
      StreamExecutionEnvironment env,
      JobConfig config,
      List<RuleCommand> initial,
      UnaryOperator<DataStream<EventRecord>> eventsHook) {
    env.enableCheckpointing(
        config.get(JobConfig.CHECKPOINT_INTERVAL).toMillis(), CheckpointingMode.EXACTLY_ONCE);
    env.setParallelism(config.get(JobConfig.PARALLELISM));
    // No function of the job mutates or keeps its input: chained operators may pass objects on.
    env.getConfig().enableObjectReuse();
    // Fixed, so that a checkpoint or savepoint restores at any parallelism up to it (key groups).
    env.setMaxParallelism(config.get(JobConfig.MAX_PARALLELISM));
    String servers = config.get(JobConfig.BOOTSTRAP_SERVERS);
    // Security (SASL, TLS) and any other client setting: first, so that the job's own win.
    java.util.Properties client = config.kafkaProperties();
    String prefix = config.get(JobConfig.EVENTS_TOPIC_PREFIX);

    KafkaSource<EventRecord> eventSource =
        KafkaSource.<EventRecord>builder()
            .setProperties(client)
            .setBootstrapServers(servers)
            .setGroupId(config.get(JobConfig.GROUP_ID))
            .setTopicPattern(Pattern.compile(Pattern.quote(prefix) + ".+"))
            .setStartingOffsets(startingOffsets(config.get(JobConfig.STARTING_OFFSETS)))
            .setDeserializer(new KafkaRecords.EventRecords(prefix))
            .setProperty(
                "partition.discovery.interval.ms",
                Long.toString(config.get(JobConfig.DISCOVERY_INTERVAL).toMillis()))
            .setProperty("isolation.level", "read_committed")
            .build();
    DataStream<EventRecord> events =
        eventsHook.apply(
            env.fromSource(eventSource, WatermarkStrategy.noWatermarks(), "vigil-events")
                .uid("vigil-events"));

    KafkaSource<KafkaRecords.ControlRecord> controlSource =
        KafkaSource.<KafkaRecords.ControlRecord>builder()
            .setProperties(client)
            .setBootstrapServers(servers)
            .setGroupId(config.get(JobConfig.GROUP_ID) + "-control")
            .setTopics(config.get(JobConfig.RULES_TOPIC))
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setDeserializer(new KafkaRecords.ControlRecords())
            .setProperty("isolation.level", "read_committed")
            .build();
    SingleOutputStreamOperator<RuleCommand> commands =
        env.fromSource(controlSource, WatermarkStrategy.noWatermarks(), "vigil-rules")
            .uid("vigil-rules")
            .setParallelism(1)
            .process(new ControlParser(signature(config)))
            .uid("vigil-control-parser")
            .setParallelism(1);

    VigilEngine.Outputs outputs =
        VigilEngine.builder(
                new CompilingRuleBuilder(
                    config.get(JobConfig.RULE_LIMITS),
                    new io.vigil.compiler.drools.DecisionLimits(
                        config.get(JobConfig.DRL_MAX_FIRINGS),
                        config.get(JobConfig.DRL_MAX_TIME),
                        config.get(JobConfig.DRL_MAX_FACTS_PER_KEY))))
            .initialCommands(initial)
            .idleness(config.get(JobConfig.IDLENESS))
            .settings(matcherSettings(config))
            .ruleLimits(
                new RuleLimits(
                    config.get(JobConfig.MAX_LIVE_RULES),
                    config.get(JobConfig.MAX_VERSION_JUMP),
                    config.get(JobConfig.MAX_UNKNOWN_IDS)))
            .eventTimeLimits(
                new EventTimeLimits(
                    config.get(JobConfig.MAX_AHEAD_OF_WATERMARK),
                    config.get(JobConfig.MAX_AHEAD_OF_CLOCK)))
            .attach(
                events, new EventRecordDecoding(config.get(JobConfig.DECODING_LIMITS)), commands);

    outputs
        .alerts()
        .sinkTo(alertSink(config, servers, client))
        .name("vigil-alerts")
        .uid("vigil-alerts-sink");
    DataStream<RuleStatus> statuses =
        outputs.statuses().union(commands.getSideOutput(ControlParser.INVALID));
    statuses
        .sinkTo(
            atLeastOnce(servers, client, KafkaRecords.statuses(config.get(JobConfig.STATUS_TOPIC))))
        .name("vigil-rule-status")
        .uid("vigil-rule-status-sink");
    outputs
        .late()
        .sinkTo(atLeastOnce(servers, client, KafkaRecords.late(config.get(JobConfig.LATE_TOPIC))))
        .name("vigil-late")
        .uid("vigil-late-sink");
    outputs
        .deadLetters()
        .sinkTo(
            atLeastOnce(
                servers, client, KafkaRecords.deadLetters(config.get(JobConfig.DEAD_LETTER_TOPIC))))
        .name("vigil-dead-letter")
        .uid("vigil-dead-letter-sink");
  }

  /** The control topic's content now: the initial rule set of a job about to start. */
  public static List<RuleCommand> readInitialRules(JobConfig config) {
    return InitialRules.read(
        config.get(JobConfig.BOOTSTRAP_SERVERS),
        config.get(JobConfig.RULES_TOPIC),
        config.kafkaProperties(),
        signature(config));
  }

  /** The matcher's guard rails from the job's options. */
  static MatcherSettings matcherSettings(JobConfig config) {
    return new MatcherSettings(
        config.get(JobConfig.MAX_PARTIAL_MATCHES),
        config.get(JobConfig.IDLE_KEY_TTL),
        config.get(JobConfig.MAX_QUEUED_EVENTS_PER_KEY),
        new AlertLimits(
            config.get(JobConfig.ALERT_MAX_EVENTS_PER_STAGE),
            config.get(JobConfig.ALERT_MAX_BYTES)));
  }

  /** The key rule commands must be signed with: the option, or else the environment variable. */
  static Optional<CommandSignature> signature(JobConfig config) {
    return CommandSignature.fromSecretOrEnv(
        config.get(JobConfig.SIGNING_KEY), CommandSignature.ENV_VAR);
  }

  /**
   * Exactly-once: transactions committed by each checkpoint. Low-latency: no transactions, so an
   * alert is readable (also with read_committed) as soon as it is written; the sink still flushes
   * on each checkpoint, so no alert of a completed checkpoint is lost, and the ones after it are
   * written again on recovery with the same deterministic alertId.
   */
  static KafkaSink<Alert> alertSink(JobConfig config, String servers, java.util.Properties client) {
    var serializer = KafkaRecords.alerts(config.get(JobConfig.ALERTS_TOPIC));
    if (config.get(JobConfig.ALERT_DELIVERY) == JobConfig.AlertDelivery.LOW_LATENCY) {
      return atLeastOnce(servers, client, serializer);
    }
    return KafkaSink.<Alert>builder()
        .setKafkaProducerConfig(client)
        .setBootstrapServers(servers)
        .setRecordSerializer(serializer)
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix("vigil-alerts-" + config.get(JobConfig.GROUP_ID))
        .setProperty(
            "transaction.timeout.ms",
            Long.toString(config.get(JobConfig.TRANSACTION_TIMEOUT).toMillis()))
        .build();
  }

  private static <T> KafkaSink<T> atLeastOnce(
      String servers,
      java.util.Properties client,
      org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema<T> serializer) {
    return KafkaSink.<T>builder()
        .setKafkaProducerConfig(client)
        .setBootstrapServers(servers)
        .setRecordSerializer(serializer)
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .build();
  }

  private static OffsetsInitializer startingOffsets(String mode) {
    return switch (mode) {
      case "earliest" -> OffsetsInitializer.earliest();
      case "latest" -> OffsetsInitializer.latest();
      default -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
    };
  }
}
