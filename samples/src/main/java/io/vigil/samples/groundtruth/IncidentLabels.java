package io.vigil.samples.groundtruth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.samples.generate.Incident;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Incident labels as JSON Lines, one incident a line, beside the events they label ({@code
 * fraud.jsonl} → {@code fraud.labels.jsonl}): {@code {"rule": "card_testing", "key": {"cardId":
 * "card-testing-0"}, "from": "2026-11-25T09:05:00Z", "to": "2026-11-25T09:07:30Z"}}.
 */
public final class IncidentLabels {

  private static final ObjectMapper JSON = new ObjectMapper();

  private IncidentLabels() {}

  /** {@code x.jsonl} → {@code x.labels.jsonl}. */
  public static Path besideEvents(Path events) {
    String name = events.getFileName().toString();
    String stem = name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name;
    return events.resolveSibling(stem + ".labels.jsonl");
  }

  public static void write(List<Incident> incidents, PrintStream out) throws IOException {
    for (Incident incident : incidents) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("rule", incident.rule());
      line.put("key", new java.util.TreeMap<>(incident.key()));
      line.put("from", incident.from().toString());
      line.put("to", incident.to().toString());
      out.println(JSON.writeValueAsString(line));
    }
  }

  public static List<Incident> read(Path file) throws IOException {
    List<Incident> incidents = new ArrayList<>();
    int number = 0;
    for (String line : Files.readAllLines(file)) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode node = JSON.readTree(line);
        Map<String, Object> key = new LinkedHashMap<>();
        node.required("key").properties().forEach(e -> key.put(e.getKey(), e.getValue().asText()));
        incidents.add(
            new Incident(
                node.required("rule").asText(),
                key,
                Instant.parse(node.required("from").asText()),
                Instant.parse(node.required("to").asText())));
      } catch (RuntimeException | IOException e) {
        throw new IOException(
            file + ":" + number + ": not an incident label: " + e.getMessage(), e);
      }
    }
    return incidents;
  }
}
