package io.vigil.console;

import io.vigil.runtime.job.JobConfig;
import io.vigil.runtime.job.VigilJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The real Vigil job (parallelism 2) on its own local Flink MiniCluster, reading {@link RealKafka},
 * started once per test JVM on first use and cancelled when the JVM exits. The cluster runs Flink's
 * Prometheus reporter with the keys docs/runtime.md documents, on a free port ({@link
 * #metricsEndpoint()}).
 */
public final class RunningJob {

  public static final int PARALLELISM = 2;
  private final JobClient job;
  private final int metricsPort;

  private RunningJob() throws Exception {
    Path checkpoints = Files.createTempDirectory("vigil-console-job");
    JobConfig config =
        JobConfig.defaults()
            .with(
                Map.of(
                    "kafka.bootstrap-servers", RealKafka.get().servers(),
                    "parallelism", Integer.toString(PARALLELISM),
                    "checkpoint.interval", "500ms",
                    "checkpoint.dir", checkpoints.toUri().toString(),
                    "kafka.topic-discovery-interval", "1s",
                    "events.starting-offsets", "earliest",
                    "kafka.transaction-timeout", "1m",
                    "events.idleness", "2s"));
    org.apache.flink.configuration.Configuration flink = VigilJob.flinkConfiguration(config);
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      metricsPort = socket.getLocalPort();
    }
    flink.setString(
        "metrics.reporter.prom.factory.class",
        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
    flink.setString("metrics.reporter.prom.port", Integer.toString(metricsPort));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
    VigilJob.build(env, config, VigilJob.readInitialRules(config), UnaryOperator.identity());
    job = env.executeAsync("vigil-console-test-job");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> job.cancel()));
  }

  private static final class Holder {
    static final RunningJob INSTANCE = create();

    private static RunningJob create() {
      try {
        return new RunningJob();
      } catch (Exception e) {
        throw new IllegalStateException("the Vigil job did not start", e);
      }
    }
  }

  public static RunningJob get() {
    return Holder.INSTANCE;
  }

  /** The Prometheus reporter's endpoint of the job's (single, local) cluster. */
  public String metricsEndpoint() {
    return "http://localhost:" + metricsPort + "/metrics";
  }
}
