package io.vigil.runtime.matcher;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.util.TestStreamEnvironment;

/**
 * One real Flink MiniCluster for property tests (jqwik does not run JUnit extensions): started once
 * per test container, used through {@link TestStreamEnvironment}.
 */
final class FlinkTestCluster implements AutoCloseable {

  private final MiniCluster cluster;

  FlinkTestCluster(int slots) throws Exception {
    Configuration config = new Configuration();
    config.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
    // Any free port: another cluster on the machine (a second build, a user's job) may hold 8081.
    config.set(RestOptions.BIND_PORT, "0");
    cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(config)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
    cluster.start();
    TestStreamEnvironment.setAsContext(cluster, 2);
  }

  @Override
  public void close() throws Exception {
    TestStreamEnvironment.unsetAsContext();
    cluster.close();
  }
}
