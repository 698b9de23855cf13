package io.vigil.runtime.deploy;

import io.vigil.runtime.control.CommandSignature;
import io.vigil.runtime.job.JobConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how a {@link Deployer} talks to Kafka. The control and status topics default to the
 * job's own defaults ({@link JobConfig#RULES_TOPIC}, {@link JobConfig#STATUS_TOPIC}); the history
 * topic is the deployer's alone.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param rulesTopic the compacted control topic the job reads
 * @param versionsTopic the compacted history topic, keyed {@code <ruleId>@<version>}
 * @param statusTopic the job's acknowledgements
 * @param kafkaProperties passed to every Kafka client the deployer creates (SASL, TLS, client.id,
 *     …); they win over the deployer's own settings except serializers and the transactional id
 * @param signature signs every record the deployer publishes, when present
 * @param clockSkew statuses timestamped more than this before a publication are not taken as its
 *     acknowledgements (the job's clock may differ from the deployer's)
 */
public record DeploySettings(
    String bootstrapServers,
    String rulesTopic,
    String versionsTopic,
    String statusTopic,
    Map<String, String> kafkaProperties,
    Optional<CommandSignature> signature,
    Duration clockSkew) {

  /** The default history topic. */
  public static final String DEFAULT_VERSIONS_TOPIC = "vigil.rule-versions";

  /** The default tolerance between the deployer's and the job's clocks. */
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(1);

  public DeploySettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(rulesTopic, "rulesTopic");
    Objects.requireNonNull(versionsTopic, "versionsTopic");
    Objects.requireNonNull(statusTopic, "statusTopic");
    kafkaProperties = Map.copyOf(kafkaProperties);
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(clockSkew, "clockSkew");
    if (bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("bootstrapServers is empty");
    }
    if (rulesTopic.equals(versionsTopic)) {
      throw new IllegalArgumentException("the history topic must not be the control topic");
    }
  }

  /** Every default: the job's topic names, no extra Kafka properties, unsigned. */
  public static DeploySettings of(String bootstrapServers) {
    return new DeploySettings(
        bootstrapServers,
        JobConfig.RULES_TOPIC.defaultValue(),
        DEFAULT_VERSIONS_TOPIC,
        JobConfig.STATUS_TOPIC.defaultValue(),
        Map.of(),
        Optional.empty(),
        DEFAULT_CLOCK_SKEW);
  }

  public DeploySettings withTopics(String rules, String versions, String status) {
    return new DeploySettings(
        bootstrapServers, rules, versions, status, kafkaProperties, signature, clockSkew);
  }

  public DeploySettings withKafkaProperties(Map<String, String> properties) {
    return new DeploySettings(
        bootstrapServers, rulesTopic, versionsTopic, statusTopic, properties, signature, clockSkew);
  }

  public DeploySettings withSignature(CommandSignature signer) {
    return new DeploySettings(
        bootstrapServers,
        rulesTopic,
        versionsTopic,
        statusTopic,
        kafkaProperties,
        Optional.of(signer),
        clockSkew);
  }

  public DeploySettings withClockSkew(Duration skew) {
    return new DeploySettings(
        bootstrapServers, rulesTopic, versionsTopic, statusTopic, kafkaProperties, signature, skew);
  }
}
