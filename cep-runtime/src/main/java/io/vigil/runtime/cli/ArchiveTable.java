package io.vigil.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Archived alerts as a text table: detected at, severity, rule, kind, key, message. */
final class ArchiveTable {

  private static final String[] HEADER = {
    "DETECTED AT", "SEVERITY", "RULE", "KIND", "KEY", "MESSAGE"
  };

  private ArchiveTable() {}

  static void print(List<JsonNode> alerts, PrintWriter out) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (JsonNode alert : alerts) {
      rows.add(
          new String[] {
            detectedAt(alert.path("detectedAt")),
            alert.path("severity").asText(""),
            alert.path("ruleId").asText(""),
            alert.path("kind").asText(""),
            key(alert.path("key")),
            alert.path("message").asText("").replace('\n', ' ')
          });
    }
    int[] widths = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(row[i]);
        if (i < row.length - 1) {
          line.append(" ".repeat(widths[i] - row[i].length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }

  /** {@code detectedAt} is epoch milliseconds on the wire; shown as an instant. */
  private static String detectedAt(JsonNode value) {
    if (value.isNumber()) {
      return Instant.ofEpochMilli(value.asLong()).toString();
    }
    return value.asText("");
  }

  private static String key(JsonNode key) {
    List<String> parts = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = key.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      parts.add(field.getKey() + "=" + field.getValue().asText());
    }
    return String.join(",", parts);
  }
}
