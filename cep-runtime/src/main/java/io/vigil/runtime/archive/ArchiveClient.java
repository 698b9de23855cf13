package io.vigil.runtime.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the alert archive through the alert service's {@code GET /api/archive/alerts} (see {@code
 * docs/archive.md}, Query API), a page at a time, following {@code nextCursor}.
 */
public final class ArchiveClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI service;
  private final String token;
  private final HttpClient http;
  private final Duration timeout;

  /**
   * @param service the alert service's base address, e.g. {@code http://localhost:8085}
   * @param token its API token ({@code vigil.api.token})
   */
  public ArchiveClient(URI service, String token, Duration timeout) {
    this.service = Objects.requireNonNull(service, "service");
    this.token = Objects.requireNonNull(token, "token");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** One page of at most {@code limit} alerts, after {@code cursor} when given. */
  public ArchivePage page(ArchiveQuery query, int limit, Optional<String> cursor)
      throws ArchiveException {
    URI uri = service.resolve("/api/archive/alerts?" + parameters(query, limit, cursor));
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/json")
            .GET()
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ArchiveException("cannot reach the alert service at " + service + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ArchiveException("interrupted", e);
    }
    switch (response.statusCode()) {
      case 200 -> {
        return read(response.body());
      }
      case 401, 403 ->
          throw new ArchiveException(
              "the alert service refused the API token (HTTP " + response.statusCode() + ")");
      case 404 ->
          throw new ArchiveException(
              "the alert service at "
                  + service
                  + " has no archive (HTTP 404: it runs without vigil.archive.jdbc-url)");
      default ->
          throw new ArchiveException(
              "the alert service answered HTTP "
                  + response.statusCode()
                  + ": "
                  + problem(response.body()));
    }
  }

  /**
   * Every alert matching {@code query}, newest first, at most {@code max}, fetched in pages of up
   * to {@code pageSize}.
   */
  public List<JsonNode> alerts(ArchiveQuery query, int max, int pageSize) throws ArchiveException {
    List<JsonNode> out = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    while (out.size() < max) {
      ArchivePage page = page(query, Math.min(pageSize, max - out.size()), cursor);
      out.addAll(page.alerts());
      cursor = page.nextCursor();
      if (cursor.isEmpty() || page.alerts().isEmpty()) {
        break;
      }
    }
    return out.size() > max ? out.subList(0, max) : out;
  }

  static String parameters(ArchiveQuery query, int limit, Optional<String> cursor) {
    List<String> out = new ArrayList<>();
    query.ruleId().ifPresent(r -> out.add(param("ruleId", r)));
    query.severity().ifPresent(s -> out.add(param("severity", s)));
    query.keys().forEach(k -> out.add(param("key", k)));
    query.since().ifPresent(s -> out.add(param("from", s.toString())));
    query.until().ifPresent(u -> out.add(param("to", u.toString())));
    out.add(param("limit", Integer.toString(limit)));
    cursor.ifPresent(c -> out.add(param("cursor", c)));
    return String.join("&", out);
  }

  private static String param(String name, String value) {
    return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static ArchivePage read(String body) throws ArchiveException {
    try {
      JsonNode root = JSON.readTree(body);
      JsonNode alerts = root.path("alerts");
      if (!alerts.isArray()) {
        throw new ArchiveException("unexpected answer (no `alerts` list): " + abbreviate(body));
      }
      List<JsonNode> list = new ArrayList<>();
      alerts.forEach(list::add);
      JsonNode next = root.path("nextCursor");
      return new ArchivePage(
          list,
          next.isTextual() && !next.asText().isBlank()
              ? Optional.of(next.asText())
              : Optional.empty());
    } catch (IOException e) {
      throw new ArchiveException("unexpected answer (not JSON): " + abbreviate(body), e);
    }
  }

  /** The {@code detail} of a problem body (RFC 9457), or the body itself. */
  private static String problem(String body) {
    try {
      JsonNode root = JSON.readTree(body);
      if (root != null && root.path("detail").isTextual()) {
        return root.get("detail").asText();
      }
    } catch (IOException e) {
      // Not JSON: the body itself says what happened.
    }
    return abbreviate(body);
  }

  private static String abbreviate(String body) {
    String flat = body.strip();
    return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
  }
}
