package io.vigil.console.rules.testing;

import jakarta.annotation.PreDestroy;
import java.net.URI;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * One Flink MiniCluster kept running by the console, so that a test run submits a job to a warm
 * cluster instead of starting one per click. Started on first use; stopped with the console.
 *
 * <p>The job's classes come from the console's own class loader, which Flink can only see when the
 * console runs from a plain (or extracted) classpath, not from inside a Boot fat jar.
 */
@Component
public class WarmCluster {

  private final int slots;
  private final boolean warmUpAtStart;
  private MiniCluster cluster;
  private URI restAddress;

  public WarmCluster(TestRunProperties properties) {
    this.slots = properties.taskSlots();
    this.warmUpAtStart = properties.warmUpAtStart();
  }

  /** Starts the cluster in the background once the console is up, so the first test is warm. */
  @EventListener(ApplicationReadyEvent.class)
  public void warmUp() {
    if (warmUpAtStart) {
      Thread starter = new Thread(this::environment, "vigil-console-test-cluster-start");
      starter.setDaemon(true);
      starter.start();
    }
  }

  /** A fresh environment whose jobs run on the warm cluster. */
  public synchronized StreamExecutionEnvironment environment() {
    if (cluster == null) {
      start();
    }
    return StreamExecutionEnvironment.createRemoteEnvironment(
        restAddress.getHost(), restAddress.getPort(), new Configuration());
  }

  private void start() {
    Configuration config = new Configuration();
    config.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    config.set(RestOptions.ADDRESS, "127.0.0.1");
    config.set(RestOptions.BIND_PORT, "0");
    config.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
    config.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("64m"));
    config.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.parse("32m"));
    config.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.parse("32m"));
    MiniCluster started =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(config)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
    try {
      started.start();
      restAddress = started.getRestAddress().get();
    } catch (Exception e) {
      throw new TestRunException("the test cluster did not start: " + e.getMessage(), e);
    }
    cluster = started;
  }

  @PreDestroy
  public synchronized void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
  }
}
