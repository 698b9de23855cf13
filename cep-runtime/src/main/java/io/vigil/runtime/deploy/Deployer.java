package io.vigil.runtime.deploy;

import io.vigil.runtime.control.CommandSignature;
import io.vigil.runtime.control.ControlJson;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Deploys rules and streams to a running Vigil job through Kafka, and follows what the job makes of
 * them: the one implementation behind {@code vigil deploy / status / rollback} and the console.
 *
 * <ul>
 *   <li>What is deployed is the compacted control topic ({@code vigil.rules}) read to its end.
 *   <li>Every published command is also written to the compacted history topic ({@code
 *       vigil.rule-versions}, key {@code <key>@<version>}) in the same Kafka transaction, so every
 *       version stays available for a rollback after compaction.
 *   <li>A change gets the next version of its key (one more than the highest on either topic); a
 *       change that would not change what is deployed publishes nothing.
 *   <li>The job's acknowledgements ({@code vigil.rule-status}) tell how far a rollout has come.
 * </ul>
 *
 * <p>Thread-safe. Publications are serialized within one deployer; two deployers publishing the
 * same key at the same moment could pick the same version (the job then applies the first and
 * refuses or ignores the second): let one process deploy, or give deployers a shared {@code
 * transactional.id} so that the newer fences the older off.
 */
public final class Deployer implements AutoCloseable {

  private final DeploySettings settings;
  private final KafkaClients clients;
  private final StatusFollower follower;
  private KafkaProducer<byte[], byte[]> producer;
  private boolean topicsChecked;

  public Deployer(DeploySettings settings) {
    this.settings = settings;
    this.clients = new KafkaClients(settings);
    this.follower = new StatusFollower(clients, settings);
  }

  public DeploySettings settings() {
    return settings;
  }

  /** The latest command per key on the control topic, as a fresh job would read it. */
  public DeployedRules deployed() {
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
  public Map<String, List<RuleVersion>> history() {
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

  /** The history of one rule id or {@code stream:<name>}, oldest version first. */
  public List<RuleVersion> history(String key) {
    return history().getOrDefault(key, List.of());
  }

  /** {@link #publish(List)} of one change. */
  public Publication publish(Change change) {
    return publish(List.of(change)).get(0);
  }

  /**
   * Publishes {@code changes} in one Kafka transaction, in their order (put stream declarations
   * before the rules that read them; {@link Change#fromSources} does). Changes that would not
   * change what is deployed publish nothing.
   *
   * @return one publication per change, in order
   * @throws DeployException for a change that cannot apply (unknown rule or version, a stream
   *     deleted or disabled) before anything is published, or when Kafka fails (then nothing is
   *     published either)
   */
  public synchronized List<Publication> publish(List<Change> changes) {
    if (!topicsChecked) {
      clients.ensureTopics();
      topicsChecked = true;
    }
    Instant now = Instant.now();
    Plan.Result plan = plan().apply(changes, now);
    if (!plan.toPublish().isEmpty()) {
      send(plan.toPublish(), now);
    }
    return plan.publications();
  }

  /**
   * What {@link #publish(List)} would do now, without publishing: the versions changes would get,
   * and which would change nothing.
   *
   * @throws DeployException as {@link #publish(List)}
   */
  public List<Publication> preview(List<Change> changes) {
    return plan().apply(changes, Instant.now()).publications();
  }

  /**
   * What versions are taken: the control topic, the history, and the versions the job answered (a
   * version it refused, e.g. for a bad signature, is not used again, so that its REJECTED answer is
   * never taken for the answer to a new command).
   */
  private Plan plan() {
    Map<String, Long> answered = new java.util.HashMap<>();
    for (RuleStatus status : statuses()) {
      answered.merge(status.ruleId(), status.version(), Math::max);
    }
    return new Plan(deployed(), history(), answered);
  }

  private List<RuleStatus> statuses() {
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

  private void send(List<Publication> publications, Instant now) {
    if (producer == null) {
      producer = clients.producer();
    }
    try {
      producer.beginTransaction();
      for (Publication p : publications) {
        String json = ControlJson.write(p.command());
        producer.send(
            record(
                settings.versionsTopic(), RuleVersion.historyKey(p.key(), p.version()), json, now));
        boolean tombstone = p.command() instanceof RuleCommand.DeleteRule;
        producer.send(record(settings.rulesTopic(), p.key(), tombstone ? null : json, now));
      }
      producer.commitTransaction();
    } catch (org.apache.kafka.common.KafkaException e) {
      try {
        producer.abortTransaction();
      } catch (org.apache.kafka.common.KafkaException abortFailed) {
        e.addSuppressed(abortFailed);
      }
      // A fenced or broken producer cannot be used again.
      producer.close(Duration.ZERO);
      producer = null;
      throw new DeployException("publishing failed, nothing was deployed: " + e.getMessage(), e);
    }
  }

  private ProducerRecord<byte[], byte[]> record(
      String topic, String key, String value, Instant timestamp) {
    byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
    byte[] valueBytes = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(topic, null, timestamp.toEpochMilli(), keyBytes, valueBytes);
    Optional<CommandSignature> signature = settings.signature();
    signature.ifPresent(
        s ->
            record
                .headers()
                .add(
                    new RecordHeader(
                        CommandSignature.HEADER,
                        s.sign(keyBytes, valueBytes).getBytes(StandardCharsets.UTF_8))));
    return record;
  }

  /** The acknowledgements of {@code rollout} so far (one read of the status topic). */
  public RolloutStatus rolloutStatus(Rollout rollout) {
    return follower.now(List.of(rollout)).get(0);
  }

  /**
   * Follows {@code rollout} until the job has applied it on every matcher subtask or refused it, or
   * {@code timeout} has passed (the result then says {@link RolloutStatus.Progress#WAITING}).
   *
   * @param progress called with the new state after every acknowledgement (e.g. to update a page)
   */
  public RolloutStatus await(Rollout rollout, Duration timeout, Consumer<RolloutStatus> progress) {
    return follower.await(List.of(rollout), timeout, progress).get(0);
  }

  /** {@link #await} of several rollouts at once, with one consumer; results in their order. */
  public List<RolloutStatus> awaitAll(
      List<Rollout> rollouts, Duration timeout, Consumer<RolloutStatus> progress) {
    return follower.await(rollouts, timeout, progress);
  }

  /**
   * Every deployed rule and stream with what the job made of its latest command: "card_testing v3
   * active on 3 of 4 subtasks", rejected with the job's message (and the version still running),
   * disabled, deleted, flagged. Streams first, then rules, in the order of the control topic.
   */
  public List<RuleState> status() {
    List<DeployedCommand> deployed = deployed().all();
    Map<String, List<RuleVersion>> history =
        deployed.stream().anyMatch(c -> c.command() instanceof RuleCommand.DeleteRule)
            ? history()
            : Map.of();
    List<RuleStatus> statuses = statuses();
    List<RuleState> states = new ArrayList<>();
    for (DeployedCommand command : deployed) {
      if (command.command() instanceof RuleCommand.DeleteRule) {
        // A tombstone carries no version: the delete's is in the history.
        long version =
            history.getOrDefault(command.key(), List.of()).stream()
                .mapToLong(RuleVersion::version)
                .max()
                .orElse(0);
        command =
            new DeployedCommand(command.key(), command.command(), version, command.publishedAt());
      }
      states.add(state(command, statuses));
    }
    return states;
  }

  /**
   * {@link #status()} of one rule id or {@code stream:<name>}; empty when it was never deployed.
   */
  public Optional<RuleState> status(String key) {
    return status().stream().filter(s -> s.key().equals(key)).findFirst();
  }

  /**
   * The deployed command's rollout and, unless it is complete, the newest earlier version the job
   * applied (not rejected), in the state it last reported.
   */
  private RuleState state(DeployedCommand deployed, List<RuleStatus> all) {
    Rollout rollout = Plan.unchanged(deployed).rollout();
    List<RuleStatus> answers = new ArrayList<>();
    TreeMap<Long, List<RuleStatus>> earlier = new TreeMap<>();
    for (RuleStatus status : all) {
      if (!status.ruleId().equals(rollout.key())) {
        continue;
      }
      if (RolloutStatus.answers(rollout, status, settings.clockSkew())) {
        answers.add(status);
      } else if (status.version() < rollout.version()
          && status.subtask() >= 0
          && status.state() != RuleStatus.State.REJECTED) {
        earlier.computeIfAbsent(status.version(), v -> new ArrayList<>()).add(status);
      }
    }
    RolloutStatus current = new RolloutStatus(rollout, answers);
    Optional<RolloutStatus> previous = Optional.empty();
    if (current.progress() != RolloutStatus.Progress.COMPLETE && !earlier.isEmpty()) {
      Map.Entry<Long, List<RuleStatus>> newest = earlier.lastEntry();
      List<RuleStatus> statuses = newest.getValue();
      RuleStatus.State state = statuses.get(statuses.size() - 1).state();
      previous =
          Optional.of(
              new RolloutStatus(
                  new Rollout(
                      rollout.key(),
                      newest.getKey(),
                      state == RuleStatus.State.FLAGGED ? RuleStatus.State.ACTIVE : state,
                      Instant.EPOCH),
                  statuses));
    }
    return new RuleState(deployed, current, previous);
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

  @Override
  public synchronized void close() {
    if (producer != null) {
      producer.close();
      producer = null;
    }
  }
}
