package io.vigil.runtime.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The line format of {@code vigil run}: {@code {"stream":"<name>","event":{…}}}. A line that does
 * not have that shape still becomes a {@link RawEvent} (stream {@code ?}), so that the decoder
 * dead-letters it with the reason instead of the job failing.
 */
public final class EventLines {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The stream name given to lines that name none. */
  public static final String NO_STREAM = "?";

  private EventLines() {}

  public static RawEvent parse(String line, String file) {
    try {
      JsonNode node = MAPPER.readTree(line);
      if (node != null
          && node.isObject()
          && node.path("stream").isTextual()
          && node.path("event").isObject()) {
        return new RawEvent(
            node.get("stream").asText(), node.get("event").toString(), file, -1, -1);
      }
    } catch (Exception e) {
      // Reported by the decoder as malformed, with the raw line.
    }
    return new RawEvent(NO_STREAM, line, file, -1, -1);
  }

  public static String format(String stream, String eventJson) {
    return "{\"stream\":" + MAPPER.valueToTree(stream) + ",\"event\":" + eventJson + "}";
  }
}
