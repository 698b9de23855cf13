package io.vigil.runtime.archive;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * One page of the archive: alerts newest first, each the JSON of {@code vigil.alerts}, and the
 * cursor of the next page (empty on the last).
 */
public record ArchivePage(List<JsonNode> alerts, Optional<String> nextCursor) {
  public ArchivePage {
    alerts = List.copyOf(alerts);
  }
}
