package io.vigil.runtime.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.runtime.control.ControlJson;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The persistent form of one rule book entry: a JSON document per rule in the operators' broadcast
 * state (streams are stored as their {@link ControlJson} command). For example, rule {@code
 * card-testing} at version 3, whose version 2 is still draining until event time 3 600 000:
 *
 * <pre>{@code
 * {"ruleId":"card-testing","generation":2,"version":3,"state":"ACTIVE",
 *  "command":"{\"type\":\"UPSERT_RULE\",…}","activeFrom":1700000000000,
 *  "draining":[{"generation":1,"command":"{…version 2…}","activeFrom":0,"until":3600000}]}
 * }</pre>
 *
 * The commands are kept as their control-topic JSON text, so that a stored entry is read by the
 * same parser, with the same checks, as the command that created it.
 */
final class RuleBookJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RuleBookJson() {}

  /** A stored rule entry, before its rules are compiled again. */
  record StoredRule(
      long generation,
      long version,
      RuleStatus.State state,
      Optional<RuleCommand.UpsertRule> command,
      List<StoredDrain> draining) {}

  /** A stored draining previous version. */
  record StoredDrain(long generation, RuleCommand.UpsertRule command, long until) {}

  static String write(String ruleId, RuleBook.Entry entry, List<RuleBook.Drain> drains) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("ruleId", ruleId);
    node.put("generation", entry.generation());
    node.put("version", entry.version());
    node.put("state", entry.state().name());
    entry
        .command()
        .ifPresent(
            command -> {
              node.put("command", ControlJson.write(command));
              node.put("activeFrom", command.activeFrom());
            });
    ArrayNode draining = node.putArray("draining");
    for (RuleBook.Drain drain : drains) {
      ObjectNode d = draining.addObject();
      d.put("generation", drain.rule().generation());
      d.put("command", ControlJson.write(drain.command()));
      d.put("activeFrom", drain.command().activeFrom());
      d.put("until", drain.until());
    }
    return node.toString();
  }

  static StoredRule read(String json) throws Exception {
    JsonNode node = MAPPER.readTree(json);
    Optional<RuleCommand.UpsertRule> command = Optional.empty();
    if (node.hasNonNull("command")) {
      command = Optional.of(upsert(node.get("command").asText(), node.get("activeFrom").asLong()));
    }
    List<StoredDrain> draining = new ArrayList<>();
    for (JsonNode d : node.path("draining")) {
      draining.add(
          new StoredDrain(
              d.get("generation").asLong(),
              upsert(d.get("command").asText(), d.get("activeFrom").asLong()),
              d.get("until").asLong()));
    }
    return new StoredRule(
        node.get("generation").asLong(),
        node.get("version").asLong(),
        RuleStatus.State.valueOf(node.get("state").asText()),
        command,
        draining);
  }

  static String writeStream(RuleCommand.DeclareStream declare) {
    return ControlJson.write(declare);
  }

  static RuleCommand.DeclareStream readStream(String json)
      throws ControlJson.InvalidCommandException {
    return (RuleCommand.DeclareStream) ControlJson.read(null, json, 0);
  }

  private static RuleCommand.UpsertRule upsert(String commandJson, long activeFrom)
      throws ControlJson.InvalidCommandException {
    return ((RuleCommand.UpsertRule) ControlJson.read(null, commandJson, 0))
        .withActiveFrom(activeFrom);
  }
}
