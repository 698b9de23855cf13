package io.vigil.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code vigil archive} against an HTTP server that answers {@code GET /api/archive/alerts} in the
 * format docs/archive.md documents: pages newest first, {@code nextCursor} until the last page, 401
 * without the token, 400 with a problem body.
 */
class ArchiveCommandTest {

  private static final String TOKEN = "archive-test-token-0123456789";
  private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

  private HttpServer server;
  private final List<Map<String, List<String>>> requests = new CopyOnWriteArrayList<>();
  private int status = 200;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** Five archived alerts, newest first, as the alert service returns them. */
  private static final List<String> ALERTS =
      List.of(
          alert("a5", "card_testing", "high", "c-1", "2026-03-09T10:00:00Z", "Card c-1: 3 tiny"),
          alert("a4", "card_testing", "high", "c-2", "2026-03-08T10:00:00Z", "Card c-2: 4 tiny"),
          alert("a3", "card_testing", "high", "c-1", "2026-03-07T10:00:00Z", "Card c-1: 5 tiny"),
          alert("a2", "card_testing", "high", "c-3", "2026-03-06T10:00:00Z", "Card c-3: 3 tiny"),
          alert("a1", "card_testing", "high", "c-1", "2026-03-05T10:00:00Z", "Card c-1: 6 tiny"));

  private static String alert(
      String id, String rule, String severity, String card, String detectedAt, String message) {
    return ("{\"alertId\":\"%s\",\"ruleId\":\"%s\",\"ruleVersion\":1,\"kind\":\"MATCH\","
            + "\"severity\":\"%s\",\"title\":\"t\",\"message\":\"%s\",\"tags\":[],"
            + "\"key\":{\"cardId\":\"%s\"},\"startTime\":\"2026-03-01T00:00:00Z\","
            + "\"endTime\":\"2026-03-01T00:00:01Z\",\"detectedAt\":\"%s\",\"events\":{}}")
        .formatted(id, rule, severity, message, card, detectedAt);
  }

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/archive/alerts", this::answer);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    Map<String, List<String>> params = params(exchange.getRequestURI().getRawQuery());
    requests.add(params);
    String body;
    int code = status;
    if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      code = 401;
      body = "";
    } else if (code == 400) {
      body =
          "{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,"
              + "\"detail\":\"severity must be one of low, medium, high, critical; was 'hgh'\"}";
    } else if (code != 200) {
      body = "";
    } else {
      // The documented paging: `limit` alerts after the cursor, newest first.
      int from = params.containsKey("cursor") ? Integer.parseInt(params.get("cursor").get(0)) : 0;
      int limit = Integer.parseInt(params.get("limit").get(0));
      int to = Math.min(ALERTS.size(), from + limit);
      body =
          "{\"alerts\":["
              + String.join(",", ALERTS.subList(from, to))
              + "],\"nextCursor\":"
              + (to < ALERTS.size() ? "\"" + to + "\"" : "null")
              + "}";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  private static Map<String, List<String>> params(String query) {
    Map<String, List<String>> out = new java.util.TreeMap<>();
    if (query == null) {
      return out;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      out.computeIfAbsent(
              URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              k -> new ArrayList<>())
          .add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  private int archive(Map<String, String> env, String... args) {
    CommandLine cli =
        new CommandLine(new ArchiveCommand(Clock.fixed(NOW, ZoneOffset.UTC), env::get));
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private Map<String, String> env() {
    return Map.of("VIGIL_API_TOKEN", TOKEN, "VIGIL_ALERT_SERVICE_URL", url());
  }

  @Test
  void filtersGoToTheQueryAndPagesAreFollowedUpToTheLimit() {
    int code =
        archive(
            env(),
            "--since",
            "7d",
            "--until",
            "2026-03-10T00:00:00Z",
            "--rule",
            "card_testing",
            "--severity",
            "high",
            "--key",
            "cardId=c-1",
            "--limit",
            "4",
            "--page-size",
            "3",
            "--output",
            "jsonl");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString().lines())
        .hasSize(4)
        .allSatisfy(l -> assertThat(l).startsWith("{\"alertId\":"))
        .extracting(l -> l.substring(12, 14))
        .containsExactly("a5", "a4", "a3", "a2");
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0))
        .containsEntry("ruleId", List.of("card_testing"))
        .containsEntry("severity", List.of("high"))
        .containsEntry("key", List.of("cardId=c-1"))
        .containsEntry("from", List.of("2026-03-03T12:00:00Z"))
        .containsEntry("to", List.of("2026-03-10T00:00:00Z"))
        .containsEntry("limit", List.of("3"))
        .doesNotContainKey("cursor");
    // The second page asks only for what is still missing, after the first page's cursor.
    assertThat(requests.get(1))
        .containsEntry("cursor", List.of("3"))
        .containsEntry("limit", List.of("1"));
    assertThat(err.toString()).contains("vigil archive: 4 alerts");
  }

  @Test
  void aTableShowsOneAlertPerLineUntilTheLastPage() {
    int code = archive(env(), "--url", url(), "--page-size", "2");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString().lines())
        .hasSize(6)
        .first()
        .asString()
        .startsWith("DETECTED AT           SEVERITY  RULE          KIND   KEY");
    assertThat(out.toString())
        .contains(
            "2026-03-09T10:00:00Z  high      card_testing  MATCH  cardId=c-1  Card c-1: 3 tiny")
        .contains(
            "2026-03-05T10:00:00Z  high      card_testing  MATCH  cardId=c-1  Card c-1: 6 tiny");
    assertThat(requests).hasSize(3);
  }

  @Test
  void refusalsAreReportedWithTheServicesReason() {
    status = 400;
    assertThat(archive(env(), "--severity", "hgh")).isEqualTo(1);
    assertThat(err.toString())
        .contains(
            "the alert service answered HTTP 400: severity must be one of low, medium, high,"
                + " critical; was 'hgh'");

    status = 404;
    assertThat(archive(env())).isEqualTo(1);
    assertThat(err.toString()).contains("has no archive (HTTP 404");

    status = 200;
    assertThat(
            archive(
                Map.of(
                    "VIGIL_API_TOKEN", "wrong-token-0123456789", "VIGIL_ALERT_SERVICE_URL", url())))
        .isEqualTo(1);
    assertThat(err.toString()).contains("refused the API token (HTTP 401)");
  }

  @Test
  void usageMistakesAndAnUnreachableServiceAreExitStatusTwo() {
    assertThat(archive(Map.of("VIGIL_ALERT_SERVICE_URL", url()))).isEqualTo(2);
    assertThat(err.toString()).contains("no API token: set VIGIL_API_TOKEN or give --token-file");

    assertThat(archive(env(), "--since", "last tuesday")).isEqualTo(2);
    assertThat(err.toString()).contains("--since takes an ISO-8601 instant");

    int port = server.getAddress().getPort();
    server.stop(0);
    assertThat(archive(env(), "--url", "http://127.0.0.1:" + port)).isEqualTo(2);
    assertThat(err.toString())
        .contains("cannot reach the alert service at http://127.0.0.1:" + port);
  }
}
