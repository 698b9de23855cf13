package io.vigil.console.rules.figures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.console.ConsoleMvc;
import io.vigil.console.ConsoleTestSupport;
import io.vigil.console.PlayedEvents;
import io.vigil.console.RunningJob;
import io.vigil.console.security.Role;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.context.WebApplicationContext;

/**
 * A rule's figures in the running job, read from the real Prometheus reporter of the job's cluster
 * (the keys docs/runtime.md documents): deployed from the console, fed through Kafka, its matches
 * and evaluated events appear on its page and in the rules list.
 */
class RuntimeFiguresTest extends ConsoleTestSupport {

  static final String RULE =
      """
      rule figures_fault_fixed
        severity high
        partition by deviceId
        pattern
          f: maintenance(action == "FAULT")
          then x: maintenance(action == "FIXED")
        within 1h
        alert "Fixed {deviceId}"
      """;

  @DynamicPropertySource
  static void jobMetrics(DynamicPropertyRegistry registry) {
    registry.add("vigil.console.job-metrics.endpoints", () -> RunningJob.get().metricsEndpoint());
    registry.add("vigil.console.job-metrics.cache-for", () -> "0s");
  }

  @Autowired WebApplicationContext context;
  ConsoleMvc analyst;
  ConsoleMvc admin;
  ConsoleMvc viewer;

  @BeforeAll
  static void job() {
    RunningJob.get();
  }

  @BeforeEach
  void users() {
    analyst = ConsoleMvc.as(context, "analyst", Role.ANALYST);
    admin = ConsoleMvc.as(context, "admin", Role.ADMIN);
    viewer = ConsoleMvc.as(context, "viewer", Role.VIEWER);
  }

  @Test
  void aDeployedRulesMatchesAndEvaluatedEventsAppearOnItsPageAndInTheList() throws Exception {
    analyst.post("/rules", Map.of("source", RULE));
    analyst.post("/rules/figures_fault_fixed/propose", Map.of("version", "1"));
    admin.post("/rules/figures_fault_fixed/approve", Map.of("version", "1"));
    admin.post("/rules/figures_fault_fixed/deploy", Map.of("version", "1"));
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () ->
                assertThat(viewer.get("/rules/figures_fault_fixed/rollout").getContentAsString())
                    .contains("rollout-complete"));

    Instant now = RunningJob.get().eventTimeSpan(Duration.ofMinutes(2));
    try (PlayedEvents events = new PlayedEvents()) {
      events.send(
          "maintenance", "fig-1", PlayedEvents.maintenance("fig-e1", "fig-1", "FAULT", now), now);
      events.send(
          "maintenance",
          "fig-1",
          PlayedEvents.maintenance("fig-e2", "fig-1", "FIXED", now.plusSeconds(1)),
          now.plusSeconds(1));
      // Moves the stream's event time past both (lateness 10 s).
      Instant later = now.plusSeconds(60);
      events.send(
          "maintenance", "fig-2", PlayedEvents.maintenance("fig-e3", "fig-2", "ACK", later), later);
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              String page = viewer.get("/rules/figures_fault_fixed").getContentAsString();
              assertThat(page).doesNotContain("figures-notice");
              assertThat(page).contains("id=\"figure-matches\">1<");
              assertThat(page).containsPattern("id=\"figure-evaluated\">[1-9][0-9]*<");
              assertThat(page).containsPattern("id=\"figure-evaluation\">[0-9.]+ µs<");
            });
    assertThat(viewer.get("/rules").getContentAsString())
        .contains("Matches / partial (job)")
        .contains(">1 / 0<");
  }

  @Test
  void anEndpointThatDoesNotAnswerIsNamedAndOthersStillCount() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    URI dead = URI.create("http://localhost:" + closed + "/metrics");
    JobFigures none =
        new RuntimeFigures(
                new JobMetricsProperties(List.of(dead), Duration.ofSeconds(2), Duration.ZERO),
                Clock.systemUTC())
            .current();
    assertThat(none.available()).isFalse();
    assertThat(none.notice())
        .startsWith("Runtime figures are unavailable")
        .contains(dead.toString());

    JobFigures partial =
        new RuntimeFigures(
                new JobMetricsProperties(
                    List.of(URI.create(RunningJob.get().metricsEndpoint()), dead),
                    Duration.ofSeconds(2),
                    Duration.ZERO),
                Clock.systemUTC())
            .current();
    assertThat(partial.available()).isTrue();
    assertThat(partial.notice())
        .startsWith("Runtime figures are partial")
        .contains(dead.toString());
  }
}
