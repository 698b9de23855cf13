package io.vigil.alert.archive;

import io.vigil.alert.model.Severity;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/archive/alerts}: the archived alerts, newest first, a page at a time. Behind the
 * API token like every {@code /api} path. Answers 404 when the archive is off (no bean).
 */
@RestController
@ConditionalOnExpression(ArchiveConfiguration.ENABLED)
@RequestMapping("/api/archive")
class ArchiveController {
  /** The JSON body of one page. */
  record PageView(List<JsonNode> alerts, String nextCursor) {}

  private final ArchiveStore store;
  private final ArchiveProperties properties;

  ArchiveController(ArchiveStore store, ArchiveProperties properties) {
    this.store = store;
    this.properties = properties;
  }

  @GetMapping("/alerts")
  PageView alerts(
      @RequestParam Optional<String> ruleId,
      @RequestParam Optional<String> severity,
      @RequestParam(name = "key", required = false) List<String> key,
      @RequestParam Optional<String> from,
      @RequestParam Optional<String> to,
      @RequestParam Optional<Integer> limit,
      @RequestParam Optional<String> cursor) {
    int size = limit.orElse(properties.defaultPageSize());
    if (size < 1 || size > properties.maxPageSize()) {
      throw new IllegalArgumentException(
          "limit must be between 1 and " + properties.maxPageSize() + ", was " + size);
    }
    ArchiveQuery query =
        new ArchiveQuery(
            ruleId.filter(r -> !r.isBlank()),
            severity.filter(s -> !s.isBlank()).map(ArchiveController::severity),
            keyFilter(key == null ? List.of() : key),
            from.map(f -> instant("from", f)),
            to.map(t -> instant("to", t)),
            size,
            cursor.filter(c -> !c.isBlank()).map(ArchiveCursor::decode));
    ArchiveStore.Page page = store.find(query);
    return new PageView(page.alerts(), page.next().map(ArchiveCursor::encode).orElse(null));
  }

  private static Severity severity(String value) {
    try {
      return Severity.fromWire(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "severity must be one of low, medium, high, critical; was '" + value + "'");
    }
  }

  private static Map<String, String> keyFilter(List<String> pairs) {
    Map<String, String> key = new LinkedHashMap<>();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException(
            "key must be name=value (e.g. key=cardId=c-1), was '" + pair + "'");
      }
      key.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return key;
  }

  private static Instant instant(String name, String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          name + " must be an ISO-8601 instant such as 2026-01-31T00:00:00Z, was '" + value + "'");
    }
  }
}
