package io.vigil.console.rules.figures;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the console reads the job's per-rule figures ({@code vigil.console.job-metrics.*}): the
 * HTTP endpoints of Flink's Prometheus reporter, one per TaskManager (docs/runtime.md, "Metrics").
 *
 * @param endpoints e.g. {@code http://taskmanager-1:9249/metrics}; empty: the pages say the figures
 *     are not configured
 * @param timeout for connecting to and reading one endpoint
 * @param cacheFor how long one reading serves the pages before the endpoints are read again
 */
@Validated
@ConfigurationProperties("vigil.console.job-metrics")
public record JobMetricsProperties(
    @NotNull @DefaultValue({}) List<@NotNull URI> endpoints,
    @NotNull @DefaultValue("2s") Duration timeout,
    @NotNull @DefaultValue("5s") Duration cacheFor) {

  public JobMetricsProperties {
    for (URI endpoint : endpoints) {
      if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
        throw new IllegalArgumentException(
            "vigil.console.job-metrics.endpoints: " + endpoint + " is not an http(s) address");
      }
    }
    endpoints = List.copyOf(endpoints);
  }
}
