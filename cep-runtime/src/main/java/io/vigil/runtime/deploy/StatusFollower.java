package io.vigil.runtime.deploy;

import io.vigil.runtime.control.ControlJson;
import io.vigil.runtime.control.RuleStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Follows the status topic from shortly before the oldest rollout's publication until every rollout
 * is complete or rejected, or the time is up.
 */
final class StatusFollower {

  private static final Duration POLL = Duration.ofMillis(200);

  private final KafkaClients clients;
  private final DeploySettings settings;

  StatusFollower(KafkaClients clients, DeploySettings settings) {
    this.clients = clients;
    this.settings = settings;
  }

  /** The acknowledgements of {@code rollouts} written so far. */
  List<RolloutStatus> now(List<Rollout> rollouts) {
    Map<Rollout, List<RuleStatus>> seen = collector(rollouts);
    for (ConsumerRecord<String, String> record :
        clients.readToEnd(settings.statusTopic(), Optional.of(oldest(rollouts)))) {
      parse(record).ifPresent(status -> add(seen, status));
    }
    return rollouts.stream().map(r -> new RolloutStatus(r, seen.get(r))).toList();
  }

  List<RolloutStatus> await(
      List<Rollout> rollouts, Duration timeout, Consumer<RolloutStatus> progress) {
    Instant deadline = Instant.now().plus(timeout);
    Map<Rollout, List<RuleStatus>> seen = collector(rollouts);
    try (KafkaConsumer<String, String> consumer = clients.consumer()) {
      boolean assigned = false;
      while (true) {
        if (!assigned) {
          // The job creates no topic: until the status topic exists there is nothing to read.
          assigned =
              !KafkaClients.assign(consumer, settings.statusTopic(), Optional.of(oldest(rollouts)))
                  .isEmpty();
        }
        if (assigned) {
          for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
            Optional<RuleStatus> status = parse(record);
            if (status.isPresent()) {
              for (Rollout changed : add(seen, status.get())) {
                progress.accept(new RolloutStatus(changed, seen.get(changed)));
              }
            }
          }
        } else {
          sleep();
        }
        boolean open =
            seen.entrySet().stream()
                .anyMatch(
                    e ->
                        new RolloutStatus(e.getKey(), e.getValue()).progress()
                            == RolloutStatus.Progress.WAITING);
        if (!open || Instant.now().isAfter(deadline)) {
          break;
        }
      }
    } catch (org.apache.kafka.common.KafkaException e) {
      throw new DeployException("cannot read " + settings.statusTopic() + ": " + e.getMessage(), e);
    }
    return rollouts.stream().map(r -> new RolloutStatus(r, seen.get(r))).toList();
  }

  private static Map<Rollout, List<RuleStatus>> collector(List<Rollout> rollouts) {
    Map<Rollout, List<RuleStatus>> seen = new LinkedHashMap<>();
    rollouts.forEach(r -> seen.put(r, new ArrayList<>()));
    return seen;
  }

  /** Adds {@code status} to the rollouts it answers; returns those. */
  private List<Rollout> add(Map<Rollout, List<RuleStatus>> seen, RuleStatus status) {
    List<Rollout> changed = new ArrayList<>();
    for (Map.Entry<Rollout, List<RuleStatus>> e : seen.entrySet()) {
      if (RolloutStatus.answers(e.getKey(), status, settings.clockSkew())) {
        e.getValue().add(status);
        changed.add(e.getKey());
      }
    }
    return changed;
  }

  private Instant oldest(List<Rollout> rollouts) {
    return rollouts.stream()
        .map(Rollout::since)
        .min(Instant::compareTo)
        .orElse(Instant.now())
        .minus(settings.clockSkew());
  }

  static Optional<RuleStatus> parse(ConsumerRecord<String, String> record) {
    if (record.value() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(ControlJson.readStatus(record.value()));
    } catch (ControlJson.InvalidCommandException e) {
      // Not written by the job; nothing to follow.
      return Optional.empty();
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeployException("interrupted while following the rollout", e);
    }
  }
}
