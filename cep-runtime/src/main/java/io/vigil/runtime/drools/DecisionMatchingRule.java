package io.vigil.runtime.drools;

import io.vigil.compiler.drools.AlertReads;
import io.vigil.compiler.drools.DecisionCompilation;
import io.vigil.compiler.drools.DecisionCompiler;
import io.vigil.compiler.drools.DecisionHeader;
import io.vigil.compiler.drools.DecisionLimitException;
import io.vigil.compiler.drools.DecisionLimits;
import io.vigil.compiler.drools.DecisionRuleSet;
import io.vigil.compiler.drools.PatternAlertFacts;
import io.vigil.compiler.drools.RaisedAlert;
import io.vigil.compiler.event.Event;
import io.vigil.compiler.event.EventEncoder;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.schema.StreamSchema;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.alert.AlertLimits;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.matcher.Alerts;
import io.vigil.runtime.rules.MatchingRule;
import io.vigil.runtime.rules.RuleRejectedException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DRL decision rule set as the matcher runs it: a one-stage pattern ({@code event}) whose
 * condition is "the rule set raises at least one alert on this event", so that the matcher's event
 * ordering, activation, keys, metrics and alert limits apply unchanged, and each raised alert
 * becomes one alert of the same shape as a pattern rule's ({@link #alertTexts}).
 *
 * <p>Built from the command's source text in every parallel instance; nothing of Drools is ever in
 * Flink state (the book keeps the command, and a restore builds the rule set again). A consequence
 * that throws, or an evaluation cut by the {@link DecisionLimits}, raises nothing for that event;
 * the failure is logged once per rule version.
 *
 * <p>A stateful rule set ({@code // vigil: expire after}) does not match in the matcher: there it
 * only takes part in routing, under a partition spec of its own ({@link #SESSION_SPEC_PREFIX}), and
 * its sessions run in {@link DecisionSessions}.
 */
public final class DecisionMatchingRule implements MatchingRule {

  private static final Logger LOG = LoggerFactory.getLogger(DecisionMatchingRule.class);
  private static final String STAGE = "event";

  /**
   * Starts the partition spec of a stateful rule set: its events go to {@link DecisionSessions}.
   */
  public static final String SESSION_SPEC_PREFIX = "drl-session:";

  private final String id;
  private final long version;
  private final String fingerprint;
  private final DecisionRuleSet rules;
  private final Set<String> streams;
  private final String spec;
  private final Map<String, int[]> keyIndexes = new HashMap<>();
  private final Map<String, EventEncoder> encoders = new HashMap<>();
  private final Pattern<Event, Event> pattern;

  /** The event decided last and what it raised: the matcher asks twice per matching event. */
  private Event decided;

  private List<RaisedAlert> raised = List.of();
  private boolean failureLogged;
  private long evaluationsCut;

  private DecisionMatchingRule(String id, long version, String fingerprint, DecisionRuleSet rules) {
    this.id = id;
    this.version = version;
    this.fingerprint = fingerprint;
    this.rules = rules;
    this.streams = Set.copyOf(rules.streams());
    this.spec = (rules.stateful() ? SESSION_SPEC_PREFIX : "") + String.join(",", rules.keyFields());
    for (String stream : rules.streams()) {
      StreamSchema schema = rules.schemas().get(stream);
      keyIndexes.put(
          stream,
          rules.keyFields().stream()
              .mapToInt(f -> schema.field(f).orElseThrow().index())
              .toArray());
      encoders.put(stream, new EventEncoder(schema));
    }
    this.pattern =
        Pattern.<Event>begin(STAGE, AfterMatchSkipStrategy.noSkip()).where(new Raises(this));
  }

  /**
   * Builds the rule set of {@code command} against the declared streams.
   *
   * @throws RuleRejectedException with the rendered diagnostics when it does not compile
   */
  public static DecisionMatchingRule build(
      RuleCommand.UpsertRule command, Map<String, StreamSchema> streams, DecisionLimits limits)
      throws RuleRejectedException {
    DecisionCompilation compilation =
        DecisionCompiler.compile(
            new SourceFile(command.ruleId() + ".drl", command.source()), streams, limits);
    if (compilation.hasErrors() || compilation.ruleSet().isEmpty()) {
      throw new RuleRejectedException(compilation.render());
    }
    DecisionRuleSet rules = compilation.ruleSet().get();
    List<StreamSchema> read = rules.streams().stream().map(streams::get).toList();
    return new DecisionMatchingRule(
        command.ruleId(), command.version(), "drl " + command.source() + " schemas " + read, rules);
  }

  /** True when the rule set raises an alert on the event; one stateless evaluation per event. */
  private static final class Raises extends SimpleCondition<Event> {
    private static final long serialVersionUID = 1L;

    // Never serialized: patterns are compiled in the instance that built them.
    private final transient DecisionMatchingRule rule;

    Raises(DecisionMatchingRule rule) {
      this.rule = rule;
    }

    @Override
    public boolean filter(Event event) {
      return !rule.rules.stateful() && !rule.decide(event).isEmpty();
    }
  }

  /** The compiled rule set (its sessions, when stateful). */
  DecisionRuleSet ruleSet() {
    return rules;
  }

  /**
   * The alerts of what {@code raised} on {@code event} (of a session), shaped as every other alert
   * ({@link Alerts#ofMatch}).
   */
  List<Alert> alerts(Event event, List<RaisedAlert> raised, long detectedAt, AlertLimits limits) {
    decided = event;
    this.raised = raised;
    return Alerts.ofMatch(this, Map.of(STAGE, List.of(event)), detectedAt, limits);
  }

  List<RaisedAlert> decide(Event event) {
    if (decided != null && decided.equals(event)) {
      return raised;
    }
    List<RaisedAlert> out;
    try {
      out = rules.decide(event);
    } catch (DecisionLimitException e) {
      evaluationsCut++;
      if (!failureLogged) {
        failureLogged = true;
        LOG.warn(
            "DRL rule set {} version {} skipped an event of {}: {}",
            id,
            version,
            event.stream(),
            e.getMessage());
      }
      out = List.of();
    } catch (RuntimeException e) {
      if (!failureLogged) {
        failureLogged = true;
        LOG.warn("DRL rule set {} version {} failed on an event of {}", id, version, event, e);
      }
      out = List.of();
    }
    decided = event;
    raised = out;
    return out;
  }

  /** Stateless evaluations cut by the limits (a stateful rule set's are cut in its sessions). */
  @Override
  public Optional<java.util.function.LongSupplier> evaluationsCut() {
    return rules.stateful() ? Optional.empty() : Optional.of(() -> evaluationsCut);
  }

  /**
   * Refused when, as a stateful rule set, it would read its own alerts through the other stateful
   * rule sets, or read (or be read by) one partitioned otherwise ({@link AlertReads}).
   */
  @Override
  public Optional<String> refusedBeside(Collection<MatchingRule> others) {
    if (!rules.stateful()) {
      return Optional.empty();
    }
    Map<String, DecisionHeader> stateful = new HashMap<>();
    for (MatchingRule other : others) {
      if (other instanceof DecisionMatchingRule decision && decision.rules.stateful()) {
        stateful.put(decision.id, decision.rules.header());
      }
    }
    return AlertReads.refusal(id, rules.header(), stateful);
  }

  @Override
  public List<RaisedText> alertTexts(Map<String, List<Event>> match, Map<String, Object> key) {
    List<RaisedText> out = new ArrayList<>();
    for (Event event : match.getOrDefault(STAGE, List.of())) {
      for (RaisedAlert alert : decide(event)) {
        out.add(
            new RaisedText(
                alert.rule() + "\u0000" + alert.dedupKey(),
                new AlertText(
                    alert.title(),
                    alert.text(),
                    alert.severityKeyword(),
                    alert.tagList(),
                    alert.ownerName())));
      }
    }
    return out;
  }

  @Override
  public AlertText render(
      Alert.Kind kind, Map<String, List<Event>> match, Map<String, Object> key) {
    List<RaisedText> texts = alertTexts(match, key);
    return texts.isEmpty()
        ? new AlertText(id, id, "medium", List.of(), Optional.empty())
        : texts.get(0).text();
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public long version() {
    return version;
  }

  @Override
  public Set<String> streams() {
    return streams;
  }

  @Override
  public String partitionSpec() {
    return spec;
  }

  @Override
  public Optional<Map<String, Object>> key(Event event) {
    if (event.stream().equals(PatternAlertFacts.STREAM)) {
      // The key fields come last in an alert fact.
      Map<String, Object> key = new LinkedHashMap<>();
      int first = event.size() - rules.keyFields().size();
      for (int i = 0; i < rules.keyFields().size(); i++) {
        key.put(rules.keyFields().get(i), event.value(first + i));
      }
      return Optional.of(key);
    }
    int[] indexes = keyIndexes.get(event.stream());
    if (indexes == null) {
      return Optional.empty();
    }
    Map<String, Object> key = new LinkedHashMap<>();
    for (int i = 0; i < indexes.length; i++) {
      Object value = event.value(indexes[i]);
      if (value == null) {
        return Optional.empty();
      }
      key.put(rules.keyFields().get(i), value);
    }
    return Optional.of(key);
  }

  @Override
  public Pattern<Event, Event> pattern() {
    return pattern;
  }

  @Override
  public boolean handlesTimeout() {
    return false;
  }

  @Override
  public boolean mayStart(Event event) {
    return !rules.stateful() && streams.contains(event.stream());
  }

  @Override
  public boolean having(Map<String, List<Event>> match) {
    return true;
  }

  @Override
  public String matchingFingerprint() {
    return fingerprint;
  }

  @Override
  public Map<String, Object> encode(Event event) {
    if (event.stream().equals(PatternAlertFacts.STREAM)) {
      Map<String, Object> alert = new LinkedHashMap<>();
      List<String> names = PatternAlertFacts.fieldNames(rules.keyFields());
      for (int i = 0; i < names.size() && i < event.size(); i++) {
        alert.put(names.get(i), event.value(i));
      }
      return alert;
    }
    EventEncoder encoder = encoders.get(event.stream());
    return encoder == null ? Map.of() : encoder.toMap(event);
  }
}
