package io.vigil.runtime.matcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.compiler.event.Event;
import io.vigil.compiler.event.EventEncoder;
import io.vigil.runtime.rules.RuleBook;
import java.time.Instant;

/**
 * The side output of events that arrived at or below the watermark: {@code {"stream", "event",
 * "watermark"}} JSON, the event in its stream's JSON form (see docs/runtime.md).
 */
final class LateEvents {

  private static final ObjectMapper JSON = new ObjectMapper();

  private LateEvents() {}

  static String json(Event event, long watermark, RuleBook book) {
    ObjectNode node = JSON.createObjectNode();
    node.put("stream", event.stream());
    node.set(
        "event",
        book.stream(event.stream())
            .<JsonNode>map(schema -> new EventEncoder(schema).encode(event))
            .orElseGet(() -> JSON.valueToTree(event.toString())));
    node.put("watermark", Instant.ofEpochMilli(watermark).toString());
    return node.toString();
  }
}
