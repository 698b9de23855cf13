package io.vigil.console.rules.deploy;

import io.vigil.runtime.deploy.Change;
import io.vigil.runtime.deploy.Publication;
import io.vigil.runtime.deploy.Rollout;
import io.vigil.runtime.deploy.RolloutStatus;
import java.util.List;

/**
 * What the console needs from the deploy library ({@code io.vigil.runtime.deploy}, the same code
 * behind {@code vigil deploy / status / rollback}): publish changes, follow a rollout, and a recent
 * copy of what is deployed.
 */
public interface Deployments {

  /** The copy of what is deployed as of the last refresh (never waits for Kafka). */
  DeploymentSnapshot snapshot();

  /** Re-reads what is deployed now (waits for Kafka). */
  DeploymentSnapshot refresh();

  /** Publishes the changes in one transaction; see {@code Deployer.publish}. */
  List<Publication> publish(List<Change> changes);

  /** One read of the job's acknowledgements of a rollout. */
  RolloutStatus rolloutStatus(Rollout rollout);
}
