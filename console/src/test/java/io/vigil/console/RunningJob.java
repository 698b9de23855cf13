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
  private java.time.Instant reservedUntil = java.time.Instant.EPOCH;

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

  /**
   * The start of a span of event time for events a test plays into the job: never before the wall
   * clock nor before any span handed out earlier. The job's event time only moves forward and is
   * shared by every test of the JVM, so events stamped inside an earlier test's span could arrive
   * late and never be evaluated.
   */
  public synchronized java.time.Instant eventTimeSpan(java.time.Duration length) {
    java.time.Instant now = java.time.Instant.now();
    java.time.Instant start = now.isAfter(reservedUntil) ? now : reservedUntil.plusSeconds(1);
    reservedUntil = start.plus(length);
    return start;
  }

  /** The Prometheus reporter's endpoint of the job's (single, local) cluster. */
  public String metricsEndpoint() {
    return "http://localhost:" + metricsPort + "/metrics";
  }
}
