package io.vigil.runtime.cli;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.flink.client.deployment.executors.PipelineExecutorUtils;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.MiniClusterJobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.util.Reference;

/**
 * The embedded MiniCluster of a command that runs its job itself ({@code vigil run}, {@code vigil
 * job} outside {@code flink run}), started on a thread of its own as soon as the command begins, so
 * that its start-up (the RPC system, see {@link ClusterRpc}, the task manager, the REST endpoint
 * Flink always starts) overlaps what the command does before it has a job: reading and checking the
 * rules, reading the control topic, building the job. The job waits for the cluster only when it is
 * submitted; the cluster shuts down when the command closes it.
 */
final class EmbeddedCluster implements AutoCloseable {

  private static final String EXECUTOR = "vigil-embedded";

  /** The cluster's configuration, and the environment's: it names this cluster's executor. */
  private final Supplier<Configuration> configurations;

  private final CompletableFuture<MiniCluster> started = new CompletableFuture<>();
  private final long createdNanos = System.nanoTime();
  private volatile long startedNanos;
  private volatile long builtNanos;
  private volatile long submittedNanos;

  private EmbeddedCluster(Supplier<Configuration> configurations, int slots) {
    this.configurations = configurations;
    // Even the configuration is made on the starter thread: it is the first to log, and setting up
    // logging then overlaps the command's own work too.
    Thread starter =
        new Thread(
            () -> {
              MiniCluster cluster = null;
              try {
                Configuration configuration = configurations.get();
                cluster =
                    new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                            .setConfiguration(configuration)
                            .setNumTaskManagers(1)
                            .setNumSlotsPerTaskManager(slots)
                            .build(),
                        () -> Reference.owned(ClusterRpc.load(configuration)));
                cluster.start();
                startedNanos = System.nanoTime();
                started.complete(cluster);
              } catch (Throwable e) {
                if (cluster != null) {
                  cluster.closeAsync();
                }
                started.completeExceptionally(e);
              }
            },
            "vigil-cluster-start");
    starter.setDaemon(true);
    starter.start();
  }

  /** Starts a cluster for a bounded run at {@code parallelism} in the background. */
  static EmbeddedCluster forRun(int parallelism) {
    int slots = Math.max(1, parallelism);
    return new EmbeddedCluster(() -> runConfiguration(slots), slots);
  }

  /**
   * Starts a cluster for the long-running job in the background: {@code flink}, the job's Flink
   * configuration, is the cluster's as well, with a slot per parallel subtask, as Flink's own local
   * executor would start it once the job is built (a REST endpoint on a free port unless one is
   * configured).
   */
  static EmbeddedCluster forJob(Configuration flink, int parallelism) {
    return new EmbeddedCluster(() -> jobConfiguration(flink), Math.max(1, parallelism));
  }

  static Configuration jobConfiguration(Configuration flink) {
    Configuration configuration = new Configuration(flink);
    if (!configuration.contains(RestOptions.BIND_PORT)) {
      configuration.set(RestOptions.BIND_PORT, "0");
    }
    return runHere(configuration);
  }

  /**
   * What a bounded local run needs: a slot per parallel matcher, network buffers for its channels
   * (Flink allocates its whole network pool up front, so a small run gets a small pool), no managed
   * memory beyond a token (the heap state backend uses none), the REST endpoint on loopback only.
   */
  static Configuration runConfiguration(int parallelism) {
    Configuration config = new Configuration();
    config.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    config.set(RestOptions.ADDRESS, "127.0.0.1");
    config.set(RestOptions.BIND_PORT, "0");
    config.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
    config.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("16m"));
    // Flink's default pool (64 MB) from parallelism 3 on, where all-to-all channels multiply.
    MemorySize network = MemorySize.parse((parallelism <= 2 ? 16 + 4 * parallelism : 64) + "m");
    config.set(TaskManagerOptions.NETWORK_MEMORY_MIN, network);
    config.set(TaskManagerOptions.NETWORK_MEMORY_MAX, network);
    return runHere(config);
  }

  /** {@code config}, whose jobs this cluster runs, the command waiting for their end. */
  private static Configuration runHere(Configuration config) {
    config.set(DeploymentOptions.TARGET, EXECUTOR);
    config.set(DeploymentOptions.ATTACHED, true);
    return config;
  }

  /** An environment whose jobs run on this cluster once it has started. */
  StreamExecutionEnvironment environment() {
    return new StreamExecutionEnvironment(
        new Executors(), configurations.get(), EmbeddedCluster.class.getClassLoader());
  }

  /** Milliseconds the cluster took to start (0 if it has not). */
  long startMillis() {
    long done = startedNanos;
    return done == 0 ? 0 : (done - createdNanos) / 1_000_000;
  }

  /** Nanotime the job's graph was ready to be handed to the cluster (0 if it has not been). */
  long builtNanos() {
    return builtNanos;
  }

  /** Nanotime the job was handed to the cluster (0 if it has not been). */
  long submittedNanos() {
    return submittedNanos;
  }

  /**
   * Shuts the cluster down in the background once it has started (a run that ends early, e.g. on a
   * rule error, does not wait for the start): the command's output is complete by then.
   */
  @Override
  public void close() {
    started.thenAccept(MiniCluster::closeAsync);
  }

  private MiniCluster awaitStart() throws InterruptedException {
    try {
      MiniCluster cluster = started.get();
      submittedNanos = System.nanoTime();
      return cluster;
    } catch (ExecutionException e) {
      throw new IllegalStateException("the embedded Flink cluster did not start", e.getCause());
    }
  }

  /** Hands every pipeline of this cluster's environments to the cluster. */
  private final class Executors implements PipelineExecutorServiceLoader, PipelineExecutorFactory {

    @Override
    public PipelineExecutorFactory getExecutorFactory(Configuration config) {
      return this;
    }

    @Override
    public Stream<String> getExecutorNames() {
      return Stream.of(EXECUTOR);
    }

    @Override
    public String getName() {
      return EXECUTOR;
    }

    @Override
    public boolean isCompatibleWith(Configuration config) {
      return EXECUTOR.equals(config.get(DeploymentOptions.TARGET));
    }

    @Override
    public PipelineExecutor getExecutor(Configuration config) {
      return (pipeline, jobConfig, userCodeClassLoader) -> {
        StreamGraph graph = PipelineExecutorUtils.getStreamGraph(pipeline, jobConfig);
        graph.serializeUserDefinedInstances();
        builtNanos = System.nanoTime();
        MiniCluster cluster = awaitStart();
        return cluster
            .submitJob(graph)
            .thenApply(
                submitted ->
                    (JobClient)
                        new MiniClusterJobClient(
                            submitted.getJobID(),
                            cluster,
                            userCodeClassLoader,
                            MiniClusterJobClient.JobFinalizationBehavior.NOTHING));
      };
    }
  }
}
