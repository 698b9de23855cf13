package io.vigil.console.alertservice;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A subscription as the alert service shows it (its secret never leaves the service).
 *
 * @param type {@code webhook} or {@code email}
 * @param minSeverity {@code low}, {@code medium}, {@code high} or {@code critical}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Subscription(
    String id,
    String name,
    String type,
    boolean enabled,
    Matcher match,
    String minSeverity,
    String url,
    boolean hasSecret,
    List<String> to,
    Grouping grouping,
    Duration throttle,
    Instant createdAt,
    Instant updatedAt) {

  public Subscription {
    match = match == null ? new Matcher(null, null, null, null) : match;
    url = url == null ? "" : url;
    to = to == null ? List.of() : List.copyOf(to);
    grouping = grouping == null ? Grouping.NONE : grouping;
    throttle = throttle == null ? Duration.ZERO : throttle;
  }

  /** Where notifications go: the URL or the recipients. */
  public String target() {
    return "email".equals(type) ? String.join(", ", to) : url;
  }
}
