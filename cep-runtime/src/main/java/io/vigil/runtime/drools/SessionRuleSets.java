package io.vigil.runtime.drools;

import io.vigil.dsl.schema.StreamSchema;
import io.vigil.runtime.control.ControlJson;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.rules.MatchingRule;
import io.vigil.runtime.rules.RuleBuilder;
import io.vigil.runtime.rules.RuleRejectedException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stateful DRL rule sets of one parallel instance of {@link DecisionSessions}, built from the
 * control commands (stream declarations and DRL upserts) exactly as the matcher builds them. What
 * is kept across a restore is the commands' JSON ({@link #stored()}); every rule set is built again
 * from its text. A rule set that does not build, or is stateless, is not kept here: the matcher
 * reports it (REJECTED) or runs it.
 */
final class SessionRuleSets {

  private static final Logger LOG = LoggerFactory.getLogger(SessionRuleSets.class);

  private final RuleBuilder builder;
  private final Map<String, StreamSchema> streams = new HashMap<>();
  private final Map<String, RuleCommand> commands = new LinkedHashMap<>();
  private final Map<String, DecisionMatchingRule> active = new HashMap<>();

  SessionRuleSets(RuleBuilder builder) {
    this.builder = builder;
  }

  /**
   * Applies {@code command}; the ids of the rule sets it replaced or removed (whose sessions must
   * go).
   */
  List<String> apply(RuleCommand command) {
    List<String> changed = new ArrayList<>();
    if (command instanceof RuleCommand.DeclareStream declare) {
      try {
        streams.put(declare.stream(), builder.declareStream(declare, streams));
        commands.put(declare.topicKey(), declare);
      } catch (RuleRejectedException e) {
        return changed;
      }
      // A new schema changes the fact types of the rule sets reading the stream.
      for (DecisionMatchingRule rule : List.copyOf(active.values())) {
        if (rule.streams().contains(declare.stream())) {
          changed.add(rule.id());
          build((RuleCommand.UpsertRule) commands.get(rule.id()));
        }
      }
    } else if (command instanceof RuleCommand.UpsertRule upsert) {
      RuleCommand previous = commands.get(upsert.ruleId());
      if (previous instanceof RuleCommand.UpsertRule p && p.version() > upsert.version()) {
        return changed;
      }
      if (upsert.language() == RuleCommand.Language.DRL) {
        if (build(upsert)) {
          changed.add(upsert.ruleId());
        }
        // Rejected: the previous version keeps running, as in the matcher.
      } else {
        remove(upsert.ruleId(), changed);
      }
    } else {
      remove(command.topicKey(), changed);
    }
    return changed;
  }

  private void remove(String ruleId, List<String> changed) {
    if (commands.remove(ruleId) != null) {
      changed.add(ruleId);
    }
    active.remove(ruleId);
  }

  private boolean build(RuleCommand.UpsertRule upsert) {
    try {
      MatchingRule rule = builder.buildRule(upsert, streams);
      List<MatchingRule> others = new ArrayList<>(active.values());
      others.removeIf(r -> r.id().equals(upsert.ruleId()));
      if (rule.refusedBeside(others).isPresent()) {
        // The matcher reports it REJECTED; the previous version, if any, goes on.
        return false;
      }
      commands.put(upsert.ruleId(), upsert);
      if (rule instanceof DecisionMatchingRule decision && decision.ruleSet().stateful()) {
        active.put(upsert.ruleId(), decision);
      } else {
        active.remove(upsert.ruleId());
      }
      return true;
    } catch (RuleRejectedException e) {
      // The matcher reports it REJECTED. Logged here too: were only this instance to fail, the
      // rule set would otherwise be missing from the sessions without a word.
      LOG.warn(
          "DRL rule set {} version {} not built for the sessions: {}",
          upsert.ruleId(),
          upsert.version(),
          e.getMessage());
      return false;
    }
  }

  /** The stateful rule set of {@code ruleId}. */
  Optional<DecisionMatchingRule> get(String ruleId) {
    return Optional.ofNullable(active.get(ruleId));
  }

  /** The stateful rule sets whose partition spec is {@code spec}. */
  List<DecisionMatchingRule> ofSpec(String spec) {
    List<DecisionMatchingRule> out = new ArrayList<>();
    for (DecisionMatchingRule rule : active.values()) {
      if (rule.partitionSpec().equals(spec)) {
        out.add(rule);
      }
    }
    out.sort(java.util.Comparator.comparing(DecisionMatchingRule::id));
    return out;
  }

  /** The commands to keep in broadcast state, by topic key. */
  Map<String, String> stored() {
    Map<String, String> out = new LinkedHashMap<>();
    commands.forEach((key, command) -> out.put(key, ControlJson.write(command)));
    return out;
  }

  /** Loads stored commands (streams first, so that rule sets find their schemas). */
  void load(Iterable<Map.Entry<String, String>> stored) throws ControlJson.InvalidCommandException {
    List<RuleCommand> rules = new ArrayList<>();
    for (Map.Entry<String, String> entry : stored) {
      RuleCommand command = ControlJson.read(entry.getKey(), entry.getValue(), Long.MIN_VALUE);
      if (command instanceof RuleCommand.DeclareStream) {
        apply(command);
      } else {
        rules.add(command);
      }
    }
    rules.forEach(this::apply);
  }
}
