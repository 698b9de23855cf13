package io.vigil.console.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.vigil.console.ConsoleMvc;
import io.vigil.console.ConsoleTestSupport;
import io.vigil.console.security.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.context.WebApplicationContext;

/**
 * The archive page against an HTTP server answering {@code GET /api/archive/alerts} as the alert
 * service documents it (docs/archive.md): filters go to the query, pages follow {@code nextCursor},
 * and the service's refusals are shown, never a stack trace.
 */
class ArchivePageTest extends ConsoleTestSupport {

  static final String TOKEN = "archive-page-token-0123456789";
  static final List<String> QUERIES = new CopyOnWriteArrayList<>();
  static volatile int status = 200;
  static final HttpServer SERVICE = start();

  static HttpServer start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/api/archive/alerts",
          exchange -> {
            String query = exchange.getRequestURI().getQuery();
            QUERIES.add(query);
            boolean authorized =
                ("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"));
            int code = authorized ? status : 401;
            String body =
                query.contains("cursor=")
                    ? "{\"alerts\":[" + alert("old-1", "Card c-7: older") + "],\"nextCursor\":null}"
                    : "{\"alerts\":["
                        + alert("new-1", "Card c-7: newest")
                        + ","
                        + alert("new-2", "Card c-7: second")
                        + "],\"nextCursor\":\"b2xkZXIx\"}";
            byte[] bytes = (code == 200 ? body : "").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
              exchange.getResponseBody().write(bytes);
            }
            exchange.close();
          });
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String alert(String id, String message) {
    return ("{\"alertId\":\"%s\",\"ruleId\":\"archived_rule\",\"ruleVersion\":2,\"kind\":\"MATCH\","
            + "\"severity\":\"high\",\"title\":\"t\",\"message\":\"%s\",\"tags\":[],"
            + "\"key\":{\"cardId\":\"c-7\"},\"startTime\":\"2026-03-01T09:59:00Z\","
            + "\"endTime\":\"2026-03-01T10:00:00Z\",\"detectedAt\":\"2026-03-01T10:00:01Z\","
            + "\"events\":{}}")
        .formatted(id, message);
  }

  @DynamicPropertySource
  static void alertService(DynamicPropertyRegistry registry) {
    registry.add(
        "vigil.console.alert-service.url",
        () -> "http://127.0.0.1:" + SERVICE.getAddress().getPort());
    registry.add("vigil.console.alert-service.token", () -> TOKEN);
  }

  @Autowired WebApplicationContext context;
  ConsoleMvc viewer;

  @BeforeEach
  void viewer() {
    viewer = ConsoleMvc.as(context, "viewer", Role.VIEWER);
    QUERIES.clear();
    status = 200;
  }

  @Test
  void aViewerSearchesTheArchiveAndPagesToOlderAlerts() throws Exception {
    String page =
        viewer
            .get(
                "/archive?rule=archived_rule&severity=high&key=cardId=c-7&since=2026-03-01T00:00:00Z")
            .getContentAsString();

    assertThat(QUERIES)
        .containsExactly(
            "ruleId=archived_rule&severity=high&key=cardId=c-7&from=2026-03-01T00:00:00Z&limit="
                + ArchiveController.PAGE_SIZE);
    assertThat(page)
        .contains("Card c-7: newest")
        .contains("Card c-7: second")
        .contains("cardId=c-7")
        .contains("2026-03-01T10:00:01Z")
        .contains("id=\"older\"")
        .contains("cursor=b2xkZXIx");

    String older =
        viewer
            .get(
                "/archive?rule=archived_rule&severity=high&key=cardId=c-7&since=2026-03-01T00:00:00Z&cursor=b2xkZXIx")
            .getContentAsString();
    assertThat(QUERIES.get(1)).endsWith("&cursor=b2xkZXIx");
    assertThat(older).contains("Card c-7: older").doesNotContain("id=\"older\"");
  }

  @Test
  void aMistakeOrARefusalIsShownOnThePage() throws Exception {
    String badTime = viewer.get("/archive?since=yesterday").getContentAsString();
    assertThat(badTime).contains("since must be an ISO-8601 instant");
    assertThat(QUERIES).isEmpty();

    status = 404;
    assertThat(viewer.get("/archive").getContentAsString())
        .contains("has no archive (HTTP 404")
        .doesNotContain("Exception");
  }
}
