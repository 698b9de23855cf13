package io.vigil.runtime.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's per-rule metrics as Prometheus scrapes them: the MiniCluster runs Flink's own
 * Prometheus reporter (configured with the keys {@code docs/runtime.md} documents) and the test
 * reads its HTTP endpoint. The Grafana dashboard in {@code samples/deploy/grafana} queries only
 * series that this scrape has.
 */
class PrometheusMetricsEndToEndTest {

  private static final int PORT = freePort();

  static final String RULE_SCOPE = "flink_taskmanager_job_task_operator_rule_";

  @RegisterExtension
  static final MiniClusterExtension FLINK = JobFixture.miniCluster(prometheusReporter());

  private static Configuration prometheusReporter() {
    Configuration config = new Configuration();
    config.setString(
        "metrics.reporter.prom.factory.class",
        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
    config.setString("metrics.reporter.prom.port", String.valueOf(PORT));
    return config;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @TempDir Path checkpoints;

  private JobFixture fixture;

  @BeforeEach
  void start() {
    fixture = JobFixture.onOwnBroker(checkpoints);
  }

  @AfterEach
  void stop() throws Exception {
    fixture.close();
  }

  private static String scrape() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + PORT + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    // Kept for reading when an assertion fails.
    Files.writeString(Path.of("target", "prometheus-scrape.txt"), response.body());
    return response.body();
  }

  /** The sum over subtasks of the samples of {@code name} for {@code rule} (and extra labels). */
  static double sum(String scrape, String name, String rule, String... labels) {
    Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$");
    double total = 0;
    boolean found = false;
    for (String l : scrape.split("\n")) {
      Matcher m = line.matcher(l);
      if (m.matches()
          && m.group(1).contains("rule=\"" + rule + "\"")
          && List.of(labels).stream().allMatch(m.group(1)::contains)) {
        total += Double.parseDouble(m.group(2));
        found = true;
      }
    }
    assertThat(found).as("a sample of %s for rule %s", name, rule).isTrue();
    return total;
  }

  @Test
  void theReporterEndpointServesEachRulesFiguresAndEveryDashboardSeries() throws Exception {
    JobFixture f = fixture;
    f.publish(new RuleCommand.DeclareStream("maintenance", 1, JobFixture.STREAM));
    f.start("", UnaryOperator.identity());
    f.publish(JobFixture.upsert("canary", 1, JobFixture.CANARY));
    // Events stamped 10 minutes before they are sent (the rule is active from before them): every
    // detection latency is at least that.
    long past = Instant.now().minus(Duration.ofMinutes(10)).toEpochMilli();
    f.publish(
        new RuleCommand.UpsertRule(
            "fault_fixed", 1, JobFixture.faultThen("FIXED", "fixed"), past - 60_000, false));
    f.awaitStatus("canary", 1, RuleStatus.State.ACTIVE);
    f.awaitStatus("fault_fixed", 1, RuleStatus.State.ACTIVE);

    fixture.kafka.send(
        "vigil.events.maintenance", "d1", JobFixture.json("e1", "d1", "FAULT", "t", past));
    fixture.kafka.send(
        "vigil.events.maintenance", "d1", JobFixture.json("e2", "d1", "FIXED", "t", past + 1000));
    fixture.kafka.send(
        "vigil.events.maintenance", "d2", JobFixture.json("e3", "d2", "FAULT", "t", past + 2000));
    f.barrier("d1", 10);
    f.barrier("d2", 20);

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              String s = scrape();
              assertThat(sum(s, RULE_SCOPE + "matches", "fault_fixed")).isEqualTo(1);
              // d2's FAULT waited for its FIXED until the barriers moved event time past its 1 h
              // window.
              assertThat(sum(s, RULE_SCOPE + "livePartialMatches", "fault_fixed")).isZero();
              assertThat(sum(s, RULE_SCOPE + "eventsEvaluated", "fault_fixed"))
                  .isGreaterThanOrEqualTo(3);
              assertThat(sum(s, RULE_SCOPE + "evaluationNanos", "fault_fixed")).isPositive();
              assertThat(sum(s, RULE_SCOPE + "detectionLatencyMs_count", "fault_fixed"))
                  .isEqualTo(1);
              assertThat(
                      sum(s, RULE_SCOPE + "detectionLatencyMs", "fault_fixed", "quantile=\"0.5\""))
                  .isGreaterThanOrEqualTo(Duration.ofMinutes(10).minusSeconds(1).toMillis());
              // The canary's TICKs are stamped in the future: their latency counts as 0.
              assertThat(sum(s, RULE_SCOPE + "detectionLatencyMs_count", "canary"))
                  .isGreaterThanOrEqualTo(2);
              assertThat(sum(s, RULE_SCOPE + "detectionLatencyMs", "canary", "quantile=\"0.99\""))
                  .isZero();
              // A checkpoint has completed: the dashboard's checkpoint panels have data.
              assertThat(s).contains("flink_jobmanager_job_lastCheckpointDuration{");
            });

    String scrape = scrape();
    Set<String> missing = new TreeSet<>();
    for (String metric : dashboardMetrics("flink_")) {
      if (!Pattern.compile("(?m)^" + Pattern.quote(metric) + "[{ ]").matcher(scrape).find()) {
        missing.add(metric);
      }
    }
    assertThat(missing).as("dashboard series absent from the scrape").isEmpty();
  }

  /**
   * The metric names with {@code prefix} that the Grafana dashboard's panel and variable queries
   * use (the dashboard sits in {@code samples/deploy/grafana}, beside the module).
   */
  static List<String> dashboardMetrics(String prefix) throws IOException {
    Path dashboard = Path.of("..", "samples", "deploy", "grafana", "vigil-dashboard.json");
    JsonNode root = new ObjectMapper().readTree(Files.readString(dashboard));
    List<String> names = new ArrayList<>();
    Pattern identifier = Pattern.compile(Pattern.quote(prefix) + "[A-Za-z0-9_]+");
    List<JsonNode> queries = new ArrayList<>(root.findValues("expr"));
    queries.addAll(root.findValues("definition"));
    for (JsonNode expr : queries) {
      Matcher m = identifier.matcher(expr.asText());
      while (m.find()) {
        names.add(m.group());
      }
    }
    assertThat(names).as("queries of %s in the dashboard", prefix).isNotEmpty();
    return names;
  }
}
