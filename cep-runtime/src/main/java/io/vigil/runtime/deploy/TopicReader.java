package io.vigil.runtime.deploy;

import io.vigil.runtime.control.CommandSignature;
import io.vigil.runtime.control.ControlJson;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What the control, history and status topics hold, each read to its end offsets. */
final class TopicReader {

  private final DeploySettings settings;
  private final KafkaClients clients;

  TopicReader(DeploySettings settings, KafkaClients clients) {
    this.settings = settings;
    this.clients = clients;
  }

  /** The latest command per key on the control topic, as a fresh job would read it. */
  DeployedRules deployed() {
    Map<String, DeployedCommand> latest = new LinkedHashMap<>();
    for (ConsumerRecord<String, String> record :
        clients.readToEnd(settings.rulesTopic(), Optional.empty())) {
      if (!signedIfRequired(record)) {
        continue;
      }
      try {
        RuleCommand command = ControlJson.read(record.key(), record.value(), record.timestamp());
        latest.remove(command.topicKey());
        latest.put(
            command.topicKey(),
            new DeployedCommand(
                command.topicKey(),
                command,
                RuleCommand.versionOf(command),
                Instant.ofEpochMilli(record.timestamp())));
      } catch (ControlJson.InvalidCommandException e) {
        // The job answers it with REJECTED and ignores it; so does the deployer.
      }
    }
    return new DeployedRules(latest);
  }

  /** Every key's history, oldest version first. */
  Map<String, List<RuleVersion>> history() {
    Map<String, List<RuleVersion>> byKey = new TreeMap<>();
    for (ConsumerRecord<String, String> record :
        clients.readToEnd(settings.versionsTopic(), Optional.empty())) {
      if (!signedIfRequired(record)) {
        continue;
      }
      parseHistory(record)
          .ifPresent(v -> byKey.computeIfAbsent(v.key(), k -> new ArrayList<>()).add(v));
    }
    byKey
        .values()
        .forEach(versions -> versions.sort(Comparator.comparingLong(RuleVersion::version)));
    return byKey;
  }

  List<RuleStatus> statuses() {
    return clients.readToEnd(settings.statusTopic(), Optional.empty()).stream()
        .map(StatusFollower::parse)
        .flatMap(Optional::stream)
        .toList();
  }

  /**
   * With a signing key, records that are not validly signed do not count, as in the job: what the
   * job would not apply is not deployed, and a planted history entry is never republished (signed)
   * by a rollback.
   */
  private boolean signedIfRequired(ConsumerRecord<String, String> record) {
    if (settings.signature().isEmpty()) {
      return true;
    }
    org.apache.kafka.common.header.Header header =
        record.headers().lastHeader(CommandSignature.HEADER);
    String signature =
        header == null || header.value() == null
            ? null
            : new String(header.value(), StandardCharsets.UTF_8);
    return settings.signature().get().problem(record.key(), record.value(), signature).isEmpty();
  }

  private static Optional<RuleVersion> parseHistory(ConsumerRecord<String, String> record) {
    String key = record.key();
    int at = key == null ? -1 : key.lastIndexOf('@');
    if (at <= 0 || record.value() == null) {
      return Optional.empty();
    }
    try {
      String ruleKey = key.substring(0, at);
      long version = Long.parseLong(key.substring(at + 1));
      RuleCommand command = ControlJson.read(ruleKey, record.value(), record.timestamp());
      return Optional.of(
          new RuleVersion(ruleKey, version, command, Instant.ofEpochMilli(record.timestamp())));
    } catch (NumberFormatException | ControlJson.InvalidCommandException e) {
      return Optional.empty();
    }
  }
}
