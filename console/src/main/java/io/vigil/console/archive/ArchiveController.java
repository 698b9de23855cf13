package io.vigil.console.archive;

import io.vigil.console.alerts.AlertServiceProperties;
import io.vigil.runtime.archive.ArchiveClient;
import io.vigil.runtime.archive.ArchiveException;
import io.vigil.runtime.archive.ArchivePage;
import io.vigil.runtime.archive.ArchiveQuery;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Alerts older than Redis keeps: the alert service's archive ({@code GET /api/archive/alerts}),
 * newest first, a page at a time, through the same client as {@code vigil archive}.
 */
@Controller
class ArchiveController {

  static final int PAGE_SIZE = 50;
  private final ArchiveClient client;

  ArchiveController(AlertServiceProperties alertService) {
    this.client =
        new ArchiveClient(alertService.url(), alertService.token(), Duration.ofSeconds(10));
  }

  @GetMapping("/archive")
  String list(
      @RequestParam(defaultValue = "") String rule,
      @RequestParam(defaultValue = "") String severity,
      @RequestParam(defaultValue = "") String key,
      @RequestParam(defaultValue = "") String since,
      @RequestParam(defaultValue = "") String until,
      @RequestParam(defaultValue = "") String cursor,
      Model model) {
    model.addAttribute("rule", rule);
    model.addAttribute("severity", severity);
    model.addAttribute("key", key);
    model.addAttribute("since", since);
    model.addAttribute("until", until);
    model.addAttribute("alerts", List.of());
    try {
      ArchiveQuery query =
          new ArchiveQuery(
              present(rule),
              present(severity),
              present(key).map(List::of).orElse(List.of()),
              instant("since", since),
              instant("until", until));
      ArchivePage page = client.page(query, PAGE_SIZE, present(cursor));
      model.addAttribute("alerts", page.alerts().stream().map(ArchivedAlert::of).toList());
      page.nextCursor()
          .ifPresent(
              next ->
                  model.addAttribute(
                      "olderUrl",
                      UriComponentsBuilder.fromPath("/archive")
                          .queryParam("rule", rule)
                          .queryParam("severity", severity)
                          .queryParam("key", key)
                          .queryParam("since", since)
                          .queryParam("until", until)
                          .queryParam("cursor", next)
                          .encode()
                          .toUriString()));
    } catch (IllegalArgumentException | ArchiveException e) {
      model.addAttribute("problem", e.getMessage());
    }
    return "archive/list";
  }

  private static Optional<String> present(String value) {
    return value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  private static Optional<Instant> instant(String name, String value) {
    if (value.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(value.strip()));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          name + " must be an ISO-8601 instant such as 2026-03-01T00:00:00Z, was '" + value + "'");
    }
  }
}
