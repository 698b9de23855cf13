package io.vigil.console.rules.figures;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * Reads the job's per-rule figures from the Prometheus endpoints of its TaskManagers and adds them
 * up per rule: counters and gauges are summed over subtasks and endpoints, and of the detection
 * latency quantiles the highest is kept (quantiles do not add). One reading serves the pages for
 * {@link JobMetricsProperties#cacheFor()}.
 */
@Component
public class RuntimeFigures {

  /** The scope of the matcher's per-rule metrics in Flink's Prometheus names. */
  static final String RULE_SCOPE = "flink_taskmanager_job_task_operator_rule_";

  private final JobMetricsProperties properties;
  private final Clock clock;
  private final HttpClient http;
  private JobFigures last;

  public RuntimeFigures(JobMetricsProperties properties, Clock clock) {
    this.properties = properties;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(properties.timeout()).build();
  }

  public synchronized JobFigures current() {
    Instant now = clock.instant();
    if (last == null || !now.isBefore(last.readAt().plus(properties.cacheFor()))) {
      last = read(now);
    }
    return last;
  }

  private JobFigures read(Instant now) {
    if (properties.endpoints().isEmpty()) {
      return JobFigures.notConfigured(now);
    }
    List<PrometheusText.Sample> samples = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (URI endpoint : properties.endpoints()) {
      try {
        samples.addAll(PrometheusText.parse(scrape(endpoint)));
      } catch (IOException e) {
        problems.add(endpoint + ": " + describe(e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        problems.add(endpoint + ": interrupted");
      }
    }
    return new JobFigures(
        true, perRule(samples), List.copyOf(problems), properties.endpoints().size(), now);
  }

  private String scrape(URI endpoint) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(endpoint).timeout(properties.timeout()).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("HTTP " + response.statusCode());
    }
    return response.body();
  }

  private static String describe(IOException e) {
    String type = e.getClass().getSimpleName();
    return e.getMessage() == null ? type : type + " (" + e.getMessage() + ")";
  }

  /** Adds up the samples of the matcher's rule scope per rule. */
  static Map<String, RuleFigures> perRule(List<PrometheusText.Sample> samples) {
    Map<String, Map<String, Double>> sums = new HashMap<>();
    for (PrometheusText.Sample s : samples) {
      String rule = s.labels().get("rule");
      if (rule == null || !s.name().startsWith(RULE_SCOPE) || Double.isNaN(s.value())) {
        continue;
      }
      String metric = s.name().substring(RULE_SCOPE.length());
      Map<String, Double> figures = sums.computeIfAbsent(rule, r -> new HashMap<>());
      String quantile = s.labels().get("quantile");
      if (metric.equals("detectionLatencyMs") && quantile != null) {
        figures.merge("latency@" + quantile, s.value(), Math::max);
      } else {
        figures.merge(metric, s.value(), Double::sum);
      }
    }
    Map<String, RuleFigures> out = new TreeMap<>();
    sums.forEach(
        (rule, f) ->
            out.put(
                rule,
                new RuleFigures(
                    count(f, "matches"),
                    count(f, "timeouts"),
                    count(f, "livePartialMatches"),
                    count(f, "eventsEvaluated"),
                    count(f, "evaluationNanos"),
                    Optional.ofNullable(f.get("latency@0.5")),
                    Optional.ofNullable(f.get("latency@0.99")))));
    return out;
  }

  private static long count(Map<String, Double> figures, String metric) {
    return Math.round(figures.getOrDefault(metric, 0.0));
  }
}
