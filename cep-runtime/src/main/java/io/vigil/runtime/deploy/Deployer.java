package io.vigil.runtime.deploy;

import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Deploys rules and streams to a running Vigil job through Kafka, and follows what the job makes of
 * them: the one implementation behind {@code vigil deploy / status / rollback} and the console.
 *
 * <ul>
 *   <li>What is deployed is the compacted control topic ({@code vigil.rules}) read to its end.
 *   <li>Every published command is also written to the compacted history topic ({@code
 *       vigil.rule-versions}, key {@code <key>@<version>}) in the same Kafka transaction, so every
 *       version stays available for a rollback after compaction.
 *   <li>A change gets the next version of its key (one more than the highest on either topic or in
 *       the job's answers); a change that would not change what is deployed publishes nothing.
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
  private final TopicReader topics;
  private final Publisher publisher;
  private boolean topicsChecked;

  public Deployer(DeploySettings settings) {
    this.settings = settings;
    this.clients = new KafkaClients(settings);
    this.follower = new StatusFollower(clients, settings);
    this.topics = new TopicReader(settings, clients);
    this.publisher = new Publisher(settings, clients);
  }

  public DeploySettings settings() {
    return settings;
  }

  /**
   * The latest command per key on the control topic, as a fresh job would read it (with a signing
   * key: only validly signed records count, as in the job).
   */
  public DeployedRules deployed() {
    return topics.deployed();
  }

  /** Every key's history, oldest version first (with a signing key: validly signed entries). */
  public Map<String, List<RuleVersion>> history() {
    return topics.history();
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
      publisher.send(plan.toPublish(), now);
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
    for (RuleStatus status : topics.statuses()) {
      answered.merge(status.ruleId(), status.version(), Math::max);
    }
    return new Plan(deployed(), history(), answered);
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
    List<RuleStatus> statuses = topics.statuses();
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
      states.add(RuleState.of(command, statuses, settings.clockSkew()));
    }
    return states;
  }

  /**
   * {@link #status()} of one rule id or {@code stream:<name>}; empty when it was never deployed.
   */
  public Optional<RuleState> status(String key) {
    return status().stream().filter(s -> s.key().equals(key)).findFirst();
  }

  @Override
  public synchronized void close() {
    publisher.close();
  }
}
