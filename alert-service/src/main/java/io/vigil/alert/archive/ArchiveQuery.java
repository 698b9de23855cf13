package io.vigil.alert.archive;

import io.vigil.alert.model.Severity;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One page request against the archive; every filter is optional and they combine with AND.
 *
 * @param key key fields the alert's key must contain (name to value)
 * @param from detection time, inclusive
 * @param to detection time, exclusive
 * @param after the cursor of the previous page
 */
record ArchiveQuery(
    Optional<String> ruleId,
    Optional<Severity> severity,
    Map<String, String> key,
    Optional<Instant> from,
    Optional<Instant> to,
    int limit,
    Optional<ArchiveCursor> after) {
  ArchiveQuery {
    key = Map.copyOf(key);
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
  }
}
