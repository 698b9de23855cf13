package io.vigil.console.archive;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** One row of the archive page, read from the alert's JSON. */
record ArchivedAlert(
    String alertId,
    String detectedAt,
    String ruleId,
    String severity,
    String kind,
    String key,
    String message) {

  static ArchivedAlert of(JsonNode alert) {
    List<String> key = new ArrayList<>();
    alert.path("key").properties().forEach(e -> key.add(e.getKey() + "=" + e.getValue().asText()));
    return new ArchivedAlert(
        alert.path("alertId").asText(""),
        alert.path("detectedAt").asText(""),
        alert.path("ruleId").asText(""),
        alert.path("severity").asText(""),
        alert.path("kind").asText(""),
        String.join(", ", key),
        alert.path("message").asText(""));
  }
}
