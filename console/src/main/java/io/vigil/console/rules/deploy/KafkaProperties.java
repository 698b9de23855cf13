package io.vigil.console.rules.deploy;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where deployed rules live ({@code vigil.console.kafka.*}).
 *
 * @param bootstrapServers the Kafka cluster of the Vigil job
 * @param rulesTopic the compacted control topic: the source of truth for what is deployed
 * @param versionsTopic the compacted history of every published version (for rollbacks)
 * @param statusTopic where the job acknowledges each command per subtask
 * @param signingKey the job's {@code control.signing-key} when it requires signed commands; empty:
 *     commands are not signed
 * @param refreshInterval how often the console re-reads what is deployed (pages show that copy and
 *     never wait for Kafka)
 * @param rolloutTimeout how long a deploy page follows the acknowledgements before it stops
 * @param eventsTopicPrefix the job's {@code topics.events-prefix}: stream {@code s} is read from
 *     topic {@code <prefix>s} (test runs on a topic's last minutes)
 * @param properties Kafka client settings given to every Kafka client of the console (the deploy
 *     producer and status reader, the stream-activity admin client and dead-letter reader, the
 *     topic reader of test runs): {@code security.protocol}, {@code sasl.*}, {@code ssl.*}, …
 */
@Validated
@ConfigurationProperties("vigil.console.kafka")
public record KafkaProperties(
    @NotBlank @DefaultValue("localhost:9092") String bootstrapServers,
    @NotBlank @DefaultValue("vigil.rules") String rulesTopic,
    @NotBlank @DefaultValue("vigil.rule-versions") String versionsTopic,
    @NotBlank @DefaultValue("vigil.rule-status") String statusTopic,
    @NotNull @DefaultValue("") String signingKey,
    @NotNull @DefaultValue("5s") Duration refreshInterval,
    @NotNull @DefaultValue("2m") Duration rolloutTimeout,
    @NotBlank @DefaultValue("vigil.events.") String eventsTopicPrefix,
    @NotNull @DefaultValue Map<String, String> properties) {

  public KafkaProperties {
    properties = Map.copyOf(properties);
    if (properties.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
      throw new IllegalArgumentException(
          "vigil.console.kafka.properties.bootstrap.servers: set"
              + " vigil.console.kafka.bootstrap-servers instead");
    }
  }

  /**
   * A client's configuration: the configured {@link #properties()} (security…), the bootstrap
   * servers, then the client's own settings, which win (how the console reads is not configurable).
   */
  public Map<String, Object> clientConfig(Map<String, ?> own) {
    Map<String, Object> config = new HashMap<>(properties);
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.putAll(own);
    return config;
  }
}
