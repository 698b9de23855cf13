package io.vigil.runtime.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Locale;

/**
 * The one JSON mapping of {@link RuleCommand} and {@link RuleStatus} (documented in
 * docs/runtime.md). Parsing reports what is wrong instead of guessing: a control record that does
 * not parse is answered with a REJECTED status, never silently skipped.
 */
public final class ControlJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ControlJson() {}

  /** Thrown for a control record that is not a valid command. */
  public static final class InvalidCommandException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidCommandException(String message) {
      super(message);
    }
  }

  public static String write(RuleCommand command) {
    ObjectNode node = MAPPER.createObjectNode();
    if (command instanceof RuleCommand.UpsertRule u) {
      node.put("type", "UPSERT_RULE");
      node.put("ruleId", u.ruleId());
      node.put("version", u.version());
      node.put("source", u.source());
      if (u.activeFrom() != Long.MIN_VALUE) {
        node.put("activeFrom", Instant.ofEpochMilli(u.activeFrom()).toString());
      }
      if (u.letPartialMatchesFinish()) {
        node.put("letPartialMatchesFinish", true);
      }
      if (u.language() != RuleCommand.Language.VGL) {
        // Only then: pattern-language commands keep the form older readers know.
        node.put("language", u.language().keyword());
      }
    } else if (command instanceof RuleCommand.DisableRule d) {
      node.put("type", "DISABLE_RULE");
      node.put("ruleId", d.ruleId());
      node.put("version", d.version());
    } else if (command instanceof RuleCommand.DeleteRule d) {
      node.put("type", "DELETE_RULE");
      node.put("ruleId", d.ruleId());
    } else if (command instanceof RuleCommand.DeclareStream s) {
      node.put("type", "DECLARE_STREAM");
      node.put("stream", s.stream());
      node.put("version", s.version());
      node.put("source", s.source());
    }
    return node.toString();
  }

  /**
   * Reads one control record.
   *
   * @param key the Kafka key (used for tombstones and checked against the body)
   * @param value the JSON body, or null for a tombstone
   * @param recordTimestamp the record's timestamp: the default {@code activeFrom} of an upsert
   */
  public static RuleCommand read(String key, String value, long recordTimestamp)
      throws InvalidCommandException {
    if (value == null) {
      if (key == null || key.isBlank()) {
        throw new InvalidCommandException("tombstone without a key");
      }
      if (key.startsWith(RuleCommand.STREAM_KEY_PREFIX)) {
        throw new InvalidCommandException("streams cannot be deleted: " + key);
      }
      return new RuleCommand.DeleteRule(key);
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InvalidCommandException("not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new InvalidCommandException("a command is a JSON object");
    }
    String type = text(node, "type").toUpperCase(Locale.ROOT);
    RuleCommand command =
        switch (type) {
          case "UPSERT_RULE" ->
              new RuleCommand.UpsertRule(
                  text(node, "ruleId"),
                  number(node, "version"),
                  text(node, "source"),
                  node.hasNonNull("activeFrom") ? instant(node.get("activeFrom")) : recordTimestamp,
                  node.path("letPartialMatchesFinish").asBoolean(false),
                  language(node));
          case "DISABLE_RULE" ->
              new RuleCommand.DisableRule(text(node, "ruleId"), number(node, "version"));
          case "DELETE_RULE" -> new RuleCommand.DeleteRule(text(node, "ruleId"));
          case "DECLARE_STREAM" ->
              new RuleCommand.DeclareStream(
                  text(node, "stream"), number(node, "version"), text(node, "source"));
          default -> throw new InvalidCommandException("unknown command type '" + type + "'");
        };
    if (key != null && !key.equals(command.topicKey())) {
      throw new InvalidCommandException(
          "record key '" + key + "' does not match the command's key '" + command.topicKey() + "'");
    }
    return command;
  }

  public static String write(RuleStatus status) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("ruleId", status.ruleId());
    node.put("version", status.version());
    node.put("subtask", status.subtask());
    node.put("parallelism", status.parallelism());
    node.put("state", status.state().name());
    node.put("message", status.message());
    node.put("timestamp", Instant.ofEpochMilli(status.timestamp()).toString());
    return node.toString();
  }

  public static RuleStatus readStatus(String json) throws InvalidCommandException {
    try {
      JsonNode node = MAPPER.readTree(json);
      return new RuleStatus(
          text(node, "ruleId"),
          number(node, "version"),
          (int) number(node, "subtask"),
          (int) number(node, "parallelism"),
          RuleStatus.State.valueOf(text(node, "state")),
          node.path("message").asText(""),
          Instant.parse(text(node, "timestamp")).toEpochMilli());
    } catch (InvalidCommandException e) {
      throw e;
    } catch (Exception e) {
      throw new InvalidCommandException("not a rule status: " + e.getMessage());
    }
  }

  private static String text(JsonNode node, String field) throws InvalidCommandException {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw new InvalidCommandException("missing string field '" + field + "'");
    }
    return value.asText();
  }

  private static long number(JsonNode node, String field) throws InvalidCommandException {
    JsonNode value = node.get(field);
    if (value == null || !value.canConvertToLong()) {
      throw new InvalidCommandException("missing integer field '" + field + "'");
    }
    return value.asLong();
  }

  private static RuleCommand.Language language(JsonNode node) throws InvalidCommandException {
    if (!node.hasNonNull("language")) {
      return RuleCommand.Language.VGL;
    }
    String keyword = node.get("language").asText();
    for (RuleCommand.Language language : RuleCommand.Language.values()) {
      if (language.keyword().equals(keyword)) {
        return language;
      }
    }
    throw new InvalidCommandException("unknown language '" + keyword + "' (vgl or drl)");
  }

  private static long instant(JsonNode value) throws InvalidCommandException {
    if (value.canConvertToLong()) {
      return value.asLong();
    }
    try {
      return Instant.parse(value.asText()).toEpochMilli();
    } catch (Exception e) {
      throw new InvalidCommandException("activeFrom is neither epoch ms nor ISO-8601");
    }
  }
}
