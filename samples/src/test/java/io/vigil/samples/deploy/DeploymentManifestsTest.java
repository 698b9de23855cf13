package io.vigil.samples.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vigil.runtime.job.JobConfig;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.util.NetUtils;
import org.junit.jupiter.api.Test;

/**
 * What can be checked of the Kubernetes set-up without a cluster or Docker: the manifests parse,
 * every image they run is one that a Dockerfile here builds (or a public image), the job's
 * arguments are options the job knows, and every Flink setting of the FlinkDeployment is a Flink
 * option whose value Flink accepts.
 */
class DeploymentManifestsTest {

  private static final Path DEPLOY = Path.of("deploy");
  private static final ObjectMapper YAML = new YAMLMapper();

  /** Images the manifests may use that no Dockerfile here builds. */
  private static final Set<String> PUBLIC_IMAGES = Set.of("apache/kafka");

  private static List<JsonNode> documents(Path file) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(file.toFile())) {
      var it = YAML.readValues(parser, JsonNode.class);
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isMissingNode() && !doc.isNull()) {
          docs.add(doc);
        }
      }
    }
    return docs;
  }

  private static List<Path> manifests() throws IOException {
    try (Stream<Path> files = Files.list(DEPLOY.resolve("k8s"))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  private static JsonNode flinkDeployment() throws IOException {
    return documents(DEPLOY.resolve("k8s/flink-deployment.yaml")).get(0);
  }

  @Test
  void everyManifestParsesAsKubernetesObjects() throws IOException {
    List<String> kinds = new ArrayList<>();
    for (Path file : manifests()) {
      for (JsonNode doc : documents(file)) {
        assertThat(doc.path("apiVersion").asText()).as(file + " apiVersion").isNotBlank();
        assertThat(doc.path("metadata").path("name").asText()).as(file + " name").isNotBlank();
        kinds.add(doc.path("kind").asText());
      }
    }
    assertThat(kinds)
        .contains("FlinkDeployment", "Job")
        .containsAll(List.of("Deployment", "Service"))
        .filteredOn("Deployment"::equals)
        .hasSize(2);
  }

  @Test
  void everyImageIsBuiltByADockerfileHereOrIsPublic() throws IOException {
    Map<String, Path> built = new HashMap<>();
    Pattern label = Pattern.compile("org\\.opencontainers\\.image\\.ref\\.name=\"([^\"]+)\"");
    try (Stream<Path> files = Files.list(DEPLOY.resolve("docker"))) {
      for (Path dockerfile : files.filter(f -> f.toString().endsWith("Dockerfile")).toList()) {
        Matcher m = label.matcher(Files.readString(dockerfile));
        assertThat(m.find()).as(dockerfile + " names its image").isTrue();
        built.put(m.group(1), dockerfile);
      }
    }
    assertThat(built.keySet())
        .containsExactlyInAnyOrder("vigil/flink-job", "vigil/alert-service", "vigil/console");

    Set<String> used = new TreeSet<>();
    for (Path file : manifests()) {
      for (JsonNode doc : documents(file)) {
        doc.findValues("image").forEach(i -> used.add(i.asText()));
      }
    }
    for (String image : used) {
      String repository = image.substring(0, image.lastIndexOf(':'));
      assertThat(built.containsKey(repository) || PUBLIC_IMAGES.contains(repository))
          .as("image %s is built here or public", image)
          .isTrue();
    }
    assertThat(used.stream().map(i -> i.substring(0, i.lastIndexOf(':'))))
        .containsAll(built.keySet());
  }

  @Test
  void theJobImageAddsTheShadedJarWhereTheFlinkDeploymentRunsIt() throws IOException {
    String dockerfile = Files.readString(DEPLOY.resolve("docker/job.Dockerfile"));
    assertThat(dockerfile)
        .contains("FROM flink:2.2.1-java17")
        .contains("cep-runtime/target/vigil.jar /opt/flink/usrlib/vigil.jar");
    JsonNode job = flinkDeployment().path("spec").path("job");
    assertThat(job.path("jarURI").asText()).isEqualTo("local:///opt/flink/usrlib/vigil.jar");
    assertThat(job.path("entryClass").asText()).isEqualTo("io.vigil.runtime.cli.VigilMain");
    assertThat(flinkDeployment().path("spec").path("flinkVersion").asText()).isEqualTo("v2_2");
    assertThat(job.path("upgradeMode").asText()).isEqualTo("savepoint");
  }

  @Test
  void theJobArgumentsAreOptionsTheJobAccepts() throws IOException {
    List<String> args = new ArrayList<>();
    flinkDeployment().path("spec").path("job").path("args").forEach(a -> args.add(a.asText()));
    assertThat(args.get(0)).isEqualTo("job");
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 1; i < args.size(); i += 2) {
      assertThat(args.get(i)).startsWith("--");
      options.put(args.get(i).substring(2), args.get(i + 1));
    }
    JobConfig config = JobConfig.load(null, options);
    assertThat(config.get(JobConfig.PARALLELISM))
        .isEqualTo(flinkDeployment().path("spec").path("job").path("parallelism").asInt());
  }

  @Test
  void everyFlinkSettingIsAFlinkOptionWithAValidValue() throws Exception {
    Map<String, ConfigOption<?>> known = new HashMap<>();
    for (Class<?> holder :
        List.of(
            CheckpointingOptions.class,
            CoreOptions.class,
            StateBackendOptions.class,
            StateRecoveryOptions.class,
            HighAvailabilityOptions.class,
            TaskManagerOptions.class,
            JobManagerOptions.class,
            RestartStrategyOptions.class,
            MetricOptions.class)) {
      for (Field field : holder.getFields()) {
        if (Modifier.isStatic(field.getModifiers())
            && ConfigOption.class.isAssignableFrom(field.getType())) {
          ConfigOption<?> option = (ConfigOption<?>) field.get(null);
          known.put(option.key(), option);
          for (FallbackKey fallback : option.fallbackKeys()) {
            known.putIfAbsent(fallback.getKey(), option);
          }
        }
      }
    }
    Map<String, String> settings = new LinkedHashMap<>();
    flinkDeployment()
        .path("spec")
        .path("flinkConfiguration")
        .properties()
        .forEach(e -> settings.put(e.getKey(), e.getValue().asText()));
    Configuration flink = Configuration.fromMap(settings);
    Set<String> unknown = new TreeSet<>();
    for (Map.Entry<String, String> setting : settings.entrySet()) {
      String key = setting.getKey();
      Matcher reporter = REPORTER_SETTING.matcher(key);
      if (reporter.matches() && reporter.group(1).equals("port")) {
        // The Prometheus reporter's own setting: a port or a range (it is no ConfigOption).
        assertThatCode(() -> NetUtils.getPortRangeFromString(setting.getValue()))
            .as(key)
            .doesNotThrowAnyException();
        continue;
      }
      ConfigOption<?> option = known.get(reporter.matches() ? reporter.group(1) : key);
      if (option == null) {
        unknown.add(key);
      } else {
        assertThatCode(() -> flink.get(option)).as(key).doesNotThrowAnyException();
      }
    }
    assertThat(unknown).as("keys that are no Flink option").isEmpty();
    assertThat(settings.get("metrics.reporter.prom.factory.class"))
        .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
  }

  /**
   * {@code metrics.reporter.<name>.<setting>}: MetricOptions declares the settings every reporter
   * has ({@code factory.class}, {@code interval}, …) by their suffix.
   */
  private static final Pattern REPORTER_SETTING =
      Pattern.compile("metrics\\.reporter\\.[^.]+\\.(.+)");

  @Test
  void theDashboardIsValidJsonWithPanels() throws IOException {
    JsonNode dashboard =
        JsonMapper.builder()
            .build()
            .readTree(DEPLOY.resolve("grafana/vigil-dashboard.json").toFile());
    assertThat(dashboard.path("panels").size()).isGreaterThan(10);
  }
}
