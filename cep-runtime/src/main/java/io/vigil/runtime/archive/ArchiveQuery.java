package io.vigil.runtime.archive;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What to ask the alert archive for: the filters of {@code GET /api/archive/alerts}, all optional
 * and combined with AND.
 *
 * @param keys {@code name=value} pairs the alert's key must contain
 * @param since {@code detectedAt} at or after
 * @param until {@code detectedAt} before
 */
public record ArchiveQuery(
    Optional<String> ruleId,
    Optional<String> severity,
    List<String> keys,
    Optional<Instant> since,
    Optional<Instant> until) {

  public ArchiveQuery {
    keys = List.copyOf(keys);
  }
}
