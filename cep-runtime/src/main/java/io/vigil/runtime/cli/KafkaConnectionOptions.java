package io.vigil.runtime.cli;

import io.vigil.runtime.control.CommandSignature;
import io.vigil.runtime.deploy.DeploySettings;
import io.vigil.runtime.job.JobConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * The options every command that talks to a running job shares: where Kafka is, how to authenticate
 * (any Kafka client property), the topic names and the signing key.
 */
final class KafkaConnectionOptions {

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT,…",
      description = "Kafka bootstrap servers (default: the job's default, localhost:9092).")
  String bootstrapServers;

  @Option(
      names = "--kafka-config",
      paramLabel = "FILE",
      description =
          "A Kafka client properties file (security.protocol, sasl.*, ssl.*, …) for every client.")
  Path kafkaConfig;

  @Option(
      names = {"-X", "--kafka-property"},
      paramLabel = "KEY=VALUE",
      description = "One Kafka client property (wins over --kafka-config); repeatable.")
  Map<String, String> kafkaProperties = new LinkedHashMap<>();

  @Option(
      names = "--rules-topic",
      paramLabel = "TOPIC",
      description = "The job's control topic (default: vigil.rules).")
  String rulesTopic;

  @Option(
      names = "--versions-topic",
      paramLabel = "TOPIC",
      description = "The history topic (default: vigil.rule-versions).")
  String versionsTopic;

  @Option(
      names = "--status-topic",
      paramLabel = "TOPIC",
      description = "The job's acknowledgements (default: vigil.rule-status).")
  String statusTopic;

  @Option(
      names = "--signing-key-env",
      paramLabel = "NAME",
      description =
          "Sign every published record with the secret in this environment variable, and trust"
              + " only records signed with it (default: VIGIL_SIGNING_KEY, if set). The job must"
              + " have the same key, or, for an Ed25519 private key (PEM), its public key.")
  String signingKeyEnv;

  @Option(
      names = "--signing-key-file",
      paramLabel = "FILE",
      description =
          "Sign with the key held in this file: an HMAC secret (surrounding whitespace ignored)"
              + " or an Ed25519 private key in PEM (openssl genpkey -algorithm ed25519).")
  Path signingKeyFile;

  /**
   * The settings these options describe.
   *
   * @throws IllegalArgumentException for a file that cannot be read, or a named key that is unset
   */
  DeploySettings settings() {
    DeploySettings defaults =
        DeploySettings.of(
            bootstrapServers != null
                ? bootstrapServers
                : JobConfig.BOOTSTRAP_SERVERS.defaultValue());
    DeploySettings settings =
        defaults
            .withTopics(
                rulesTopic != null ? rulesTopic : defaults.rulesTopic(),
                versionsTopic != null ? versionsTopic : defaults.versionsTopic(),
                statusTopic != null ? statusTopic : defaults.statusTopic())
            .withKafkaProperties(kafkaProperties());
    if (signingKeyFile != null) {
      return settings.withSignature(CommandSignature.of(read(signingKeyFile).strip()));
    }
    String env = signingKeyEnv != null ? signingKeyEnv : CommandSignature.ENV_VAR;
    String secret = System.getenv(env);
    if (secret == null || secret.isBlank()) {
      if (signingKeyEnv != null) {
        throw new IllegalArgumentException("environment variable " + env + " is not set");
      }
      return settings;
    }
    return settings.withSignature(CommandSignature.of(secret.strip()));
  }

  private Map<String, String> kafkaProperties() {
    Map<String, String> merged = new LinkedHashMap<>();
    if (kafkaConfig != null) {
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(kafkaConfig, StandardCharsets.UTF_8)) {
        properties.load(reader);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read " + kafkaConfig + ": " + e.getMessage());
      }
      properties.stringPropertyNames().forEach(k -> merged.put(k, properties.getProperty(k)));
    }
    merged.putAll(kafkaProperties);
    return merged;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    }
  }
}
