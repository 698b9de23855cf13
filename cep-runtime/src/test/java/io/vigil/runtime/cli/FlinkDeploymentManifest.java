package io.vigil.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vigil.runtime.Samples;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The job as {@code samples/deploy/k8s/flink-deployment.yaml} deploys it: its {@code
 * flinkConfiguration}, slots, parallelism and job arguments, read from the manifest itself so that
 * a change there is what the session-cluster test runs.
 *
 * <p>{@link #localConfiguration} and {@link #localJobArguments} make the few changes one machine
 * without Kubernetes or S3 needs, each for a stated reason; every other setting and argument is the
 * manifest's, unchanged.
 */
record FlinkDeploymentManifest(
    Map<String, String> flinkConfiguration, int parallelism, List<String> jobArguments) {

  static final Path FILE = Samples.dir().resolveSibling("samples/deploy/k8s/flink-deployment.yaml");

  /** The object store the manifest names; replaced by a local directory. */
  private static final String OBJECT_STORE = "s3://vigil/";

  /** The broker the manifest names; replaced by the test's broker. */
  private static final String BROKER = "kafka-bootstrap.kafka:9092";

  static FlinkDeploymentManifest read() throws IOException {
    JsonNode spec = new ObjectMapper(new YAMLFactory()).readTree(FILE.toFile()).path("spec");
    Map<String, String> configuration = new LinkedHashMap<>();
    spec.path("flinkConfiguration")
        .properties()
        .forEach(e -> configuration.put(e.getKey(), e.getValue().asText()));
    List<String> args = new ArrayList<>();
    spec.path("job").path("args").forEach(a -> args.add(a.asText()));
    return new FlinkDeploymentManifest(
        Map.copyOf(configuration), spec.path("job").path("parallelism").asInt(), List.copyOf(args));
  }

  int slotsPerTaskManager() {
    return Integer.parseInt(flinkConfiguration.get("taskmanager.numberOfTaskSlots"));
  }

  /** As many TaskManagers as the operator starts for the job's parallelism. */
  int taskManagers() {
    return (parallelism + slotsPerTaskManager() - 1) / slotsPerTaskManager();
  }

  /**
   * The manifest's Flink configuration for one machine:
   *
   * <ul>
   *   <li>{@code s3://vigil/…} → a directory under {@code dir}: there is no object store here;
   *   <li>{@code high-availability.type: kubernetes} → none: Kubernetes HA needs the Kubernetes API
   *       (its ConfigMaps); the job's own code does not depend on it;
   *   <li>the Prometheus reporter's port → a free port range: in Kubernetes each JVM has its pod's
   *       own address, here the JobManager and TaskManagers share one.
   * </ul>
   */
  Map<String, String> localConfiguration(Path dir) {
    Map<String, String> configuration = new LinkedHashMap<>();
    flinkConfiguration.forEach((k, v) -> configuration.put(k, local(v, dir)));
    configuration.put("high-availability.type", "NONE");
    if (configuration.containsKey("metrics.reporter.prom.port")) {
      int from = freePort();
      configuration.put("metrics.reporter.prom.port", from + "-" + (from + 20));
    }
    return configuration;
  }

  /** The manifest's job arguments, with the test's broker and {@code s3://vigil/…} as above. */
  List<String> localJobArguments(Path dir, String kafkaServers) {
    return jobArguments.stream().map(a -> a.equals(BROKER) ? kafkaServers : local(a, dir)).toList();
  }

  private static String local(String value, Path dir) {
    return value.startsWith(OBJECT_STORE)
        ? dir.resolve(value.substring(OBJECT_STORE.length())).toUri().toString()
        : value;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
