package io.vigil.console.rules.deploy;

import io.vigil.runtime.control.CommandSignature;
import io.vigil.runtime.deploy.Change;
import io.vigil.runtime.deploy.DeploySettings;
import io.vigil.runtime.deploy.Deployer;
import io.vigil.runtime.deploy.Publication;
import io.vigil.runtime.deploy.Rollout;
import io.vigil.runtime.deploy.RolloutStatus;
import io.vigil.runtime.deploy.RuleState;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@link Deployments} over the deploy library's {@link Deployer}, with a copy of what is deployed
 * refreshed in the background every {@link KafkaProperties#refreshInterval()}.
 */
@Component
class KafkaDeployments implements Deployments {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaDeployments.class);

  private final Deployer deployer;
  private final Clock clock;
  private final AtomicReference<DeploymentSnapshot> snapshot =
      new AtomicReference<>(DeploymentSnapshot.none("not read yet"));
  private final ScheduledExecutorService refresher =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "vigil-console-deployments");
            t.setDaemon(true);
            return t;
          });

  KafkaDeployments(KafkaProperties properties, Clock clock) {
    DeploySettings settings =
        DeploySettings.of(properties.bootstrapServers())
            .withTopics(
                properties.rulesTopic(), properties.versionsTopic(), properties.statusTopic())
            .withKafkaProperties(properties.properties());
    if (!properties.signingKey().isBlank()) {
      settings = settings.withSignature(CommandSignature.of(properties.signingKey()));
    }
    this.deployer = new Deployer(settings);
    this.clock = clock;
    long every = properties.refreshInterval().toMillis();
    refresher.scheduleWithFixedDelay(this::refreshQuietly, 0, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public DeploymentSnapshot snapshot() {
    return snapshot.get();
  }

  // Serialized, so that a read started before a publication never overwrites one started after.
  @Override
  public synchronized DeploymentSnapshot refresh() {
    Map<String, RuleState> states =
        deployer.status().stream()
            .collect(Collectors.toMap(RuleState::key, Function.identity(), (a, b) -> b));
    DeploymentSnapshot read =
        new DeploymentSnapshot(
            states, deployer.history(), Optional.of(clock.instant()), Optional.empty());
    snapshot.set(read);
    return read;
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      DeploymentSnapshot old = snapshot.get();
      snapshot.set(
          new DeploymentSnapshot(
              old.states(),
              old.history(),
              old.readAt(),
              Optional.of(String.valueOf(e.getMessage()))));
      LOG.warn("cannot read what is deployed: {}", e.getMessage());
    }
  }

  @Override
  public List<Publication> publish(List<Change> changes) {
    List<Publication> published = deployer.publish(changes);
    refreshQuietly();
    return published;
  }

  @Override
  public RolloutStatus rolloutStatus(Rollout rollout) {
    return deployer.rolloutStatus(rollout);
  }

  @PreDestroy
  void close() {
    refresher.shutdownNow();
    deployer.close();
  }
}
