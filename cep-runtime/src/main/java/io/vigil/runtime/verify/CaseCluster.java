package io.vigil.runtime.verify;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where test cases run. From the command line, one embedded MiniCluster started once for every case
 * (a local environment would start a cluster per case); under a test harness or a Flink client, the
 * environment that context provides.
 */
public final class CaseCluster implements AutoCloseable {

  private final MiniCluster cluster;
  private final String host;
  private final int port;

  private CaseCluster(MiniCluster cluster, String host, int port) {
    this.cluster = cluster;
    this.host = host;
    this.port = port;
  }

  public static CaseCluster start() throws Exception {
    if (!(StreamExecutionEnvironment.getExecutionEnvironment() instanceof LocalStreamEnvironment)) {
      return new CaseCluster(null, "", 0);
    }
    Configuration config = new Configuration();
    config.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    config.set(RestOptions.ADDRESS, "127.0.0.1");
    config.set(RestOptions.BIND_PORT, "0");
    config.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("64m"));
    config.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.parse("32m"));
    config.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.parse("32m"));
    MiniCluster cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(config)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(2)
                .build());
    cluster.start();
    java.net.URI rest = cluster.getRestAddress().get();
    return new CaseCluster(cluster, rest.getHost(), rest.getPort());
  }

  /** A fresh environment for one case. */
  public StreamExecutionEnvironment environment() {
    StreamExecutionEnvironment env =
        cluster == null
            ? StreamExecutionEnvironment.getExecutionEnvironment()
            : StreamExecutionEnvironment.createRemoteEnvironment(host, port, new Configuration());
    env.setParallelism(1);
    return env;
  }

  @Override
  public void close() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }
}
