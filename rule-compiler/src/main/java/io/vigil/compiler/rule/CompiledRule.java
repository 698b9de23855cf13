package io.vigil.compiler.rule;

import io.vigil.compiler.condition.CompiledCondition;
import io.vigil.compiler.condition.EvaluationFailures;
import io.vigil.compiler.condition.ExpressionCompiler;
import io.vigil.compiler.condition.MatchView;
import io.vigil.compiler.condition.RequiredValue;
import io.vigil.compiler.event.Event;
import io.vigil.compiler.pattern.PatternBuilder;
import io.vigil.dsl.check.CheckedPattern;
import io.vigil.dsl.check.CheckedRule;
import io.vigil.dsl.check.PartitionKey;
import io.vigil.dsl.check.RuleMetadata;
import io.vigil.dsl.schema.StreamSchema;
import io.vigil.dsl.syntax.RulePrinter;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.pattern.Pattern;

/**
 * A rule ready to run: the Flink CEP pattern with its compiled conditions, the partition key, the
 * streams it reads, window and skip strategy, {@code having}, the alert templates and the metadata.
 * Built by {@link RuleCompiler}; immutable and thread-safe.
 *
 * <p>Serializable: the serialized form is the rule's source text and the schemas of the streams it
 * reads; reading it back re-checks and recompiles the rule, so a deserialized rule is exactly the
 * rule the source describes today (no stale closure classes across versions).
 */
public final class CompiledRule implements Serializable {

  private static final long serialVersionUID = 1L;

  private final CheckedRule rule;
  private final PatternBuilder patternBuilder;
  private final AfterMatchSkipStrategy skip;
  private final Map<String, int[]> keyIndexesByStream;
  private final List<String> keyFields;
  private final Optional<CompiledCondition> having;

  /** Shared by every condition and template of this compiled version. */
  private final EvaluationFailures failures;

  private final Optional<AlertTemplate> alert;
  private final Optional<AlertTemplate> timeoutAlert;
  private final List<StartStage> startStages;
  private final List<StartRequirement> startRequirements;
  private final List<StartBound> startBounds;
  private final String matchingFingerprint;
  private final Optional<FinalStageFamily> finalStageFamily;
  private final Optional<ConditionFamily> conditionFamily;

  /** The limits the rule was checked within; a serialized copy is checked within them again. */
  private final io.vigil.dsl.limits.Limits limits;

  /** A stage that may take the first event of a match, and its condition. */
  private record StartStage(String stream, CompiledCondition condition) {}

  /**
   * A value the rule's only start stage requires of an event: its condition is {@code field ==
   * "value" and …}, so an event of {@code stream} whose field {@code field} (index in the stream's
   * schema) holds anything else cannot start a match.
   */
  public record StartRequirement(String stream, int field, Object value) implements Serializable {}

  /**
   * A bound the rule's only start stage requires of an event: its condition is {@code field >
   * constant and …} (or another order comparison), so an event of {@code stream} whose field is on
   * the other side of the constant, or missing, cannot start a match.
   */
  public record StartBound(String stream, io.vigil.compiler.condition.RequiredBound bound)
      implements Serializable {}

  CompiledRule(CheckedRule rule, io.vigil.dsl.limits.Limits limits) {
    this.rule = rule;
    this.limits = limits;
    this.failures = new EvaluationFailures(rule.id());
    this.patternBuilder = PatternBuilder.compile(rule.pattern(), failures);
    this.skip = PatternBuilder.skipStrategy(rule.skip());
    this.keyFields = rule.partitionBy().stream().map(PartitionKey::path).toList();
    Map<String, int[]> indexes = new HashMap<>();
    for (StreamSchema stream : rule.streams()) {
      int[] byKey = new int[rule.partitionBy().size()];
      for (int i = 0; i < byKey.length; i++) {
        byKey[i] = rule.partitionBy().get(i).indexIn(stream.name());
      }
      indexes.put(stream.name(), byKey);
    }
    this.keyIndexesByStream = Map.copyOf(indexes);
    this.having = rule.having().map(h -> ExpressionCompiler.condition(h, failures, "having"));
    this.alert = rule.alert().map(t -> AlertTemplate.compile(t, failures));
    this.timeoutAlert = rule.timeoutAlert().map(t -> AlertTemplate.compile(t, failures));
    List<StartStage> starts = new ArrayList<>();
    collectStartStages(rule.pattern(), starts, failures);
    this.startStages = List.copyOf(starts);
    this.startRequirements = startRequirements(startStages);
    this.startBounds =
        startStages.size() != 1
            ? List.of()
            : startStages.get(0).condition().requiredBounds().stream()
                .map(b -> new StartBound(startStages.get(0).stream(), b))
                .toList();
    this.matchingFingerprint =
        RulePrinter.matchingSignature(rule.declaration()) + " schemas " + rule.streams();
    this.finalStageFamily = FinalStageFamily.of(rule, patternBuilder, failures);
    this.conditionFamily =
        finalStageFamily.isPresent() ? Optional.empty() : ConditionFamily.of(rule, patternBuilder);
  }

  /** One per {@code field == "constant"} conjunct of the only start stage, in field order. */
  private static List<StartRequirement> startRequirements(List<StartStage> starts) {
    if (starts.size() != 1) {
      return List.of();
    }
    StartStage start = starts.get(0);
    List<StartRequirement> out = new ArrayList<>();
    for (RequiredValue required : start.condition().requiredValues()) {
      if (!required.readsMatch()) {
        out.add(new StartRequirement(start.stream(), required.field(), required.value(null)));
      }
    }
    out.sort(java.util.Comparator.comparingInt(StartRequirement::field));
    return List.copyOf(out);
  }

  // The stages that can take a match's first event: the first element, and the next ones while
  // the earlier ones are optional.
  private static boolean collectStartStages(
      CheckedPattern pattern, List<StartStage> out, EvaluationFailures failures) {
    for (CheckedPattern.Step step : pattern.steps()) {
      boolean mandatory;
      if (step.element() instanceof CheckedPattern.Stage s) {
        out.add(
            new StartStage(
                s.stream().name(),
                ExpressionCompiler.condition(
                    s.condition(), failures, "condition of stage " + s.name())));
        mandatory = !s.quantifier().optional();
      } else {
        CheckedPattern.Group g = (CheckedPattern.Group) step.element();
        mandatory = collectStartStages(g.body(), out, failures) && !g.quantifier().optional();
      }
      if (mandatory) {
        return true;
      }
    }
    return false;
  }

  /**
   * Evaluations of this compiled rule that failed on events (see {@link EvaluationFailures}); a
   * fresh compilation (a new version, a restore) counts from zero.
   */
  public EvaluationFailures evaluationFailures() {
    return failures;
  }

  // ------------------------------------------------------------------ identity and metadata

  public String id() {
    return rule.id();
  }

  public RuleMetadata metadata() {
    return rule.metadata();
  }

  /** The checked rule this was compiled from (source, positions, typed expressions). */
  public CheckedRule checked() {
    return rule;
  }

  /** The names of the streams the rule reads, in order of first use. */
  public List<String> streams() {
    return rule.streams().stream().map(StreamSchema::name).toList();
  }

  /** The schemas of the streams the rule reads. */
  public List<StreamSchema> schemas() {
    return rule.streams();
  }

  /** The stage names in pattern order (depth first), e.g. to order an alert's events. */
  public List<String> stageNames() {
    return rule.pattern().stages().stream().map(CheckedPattern.Stage::name).toList();
  }

  public boolean reads(String stream) {
    return keyIndexesByStream.containsKey(stream);
  }

  // ------------------------------------------------------------------ pattern

  /** A fresh Flink pattern (conditions are shared: they are stateless). */
  public Pattern<Event, Event> pattern() {
    return patternBuilder.build(rule.pattern(), skip, rule.within(), rule.maxGap());
  }

  /** Flink's NFA factory for {@link #pattern()}; pass true to get timed-out partial matches. */
  public NFACompiler.NFAFactory<Event> nfaFactory(boolean handleTimeout) {
    return NFACompiler.compileFactory(pattern(), handleTimeout);
  }

  /**
   * The split of this rule into a prefix and a final stage that rules differing only in that
   * stage's condition may share (see {@link FinalStageFamily}); empty when the shape does not allow
   * it exactly.
   */
  public Optional<FinalStageFamily> finalStageFamily() {
    return finalStageFamily;
  }

  /**
   * How rules differing only in one stage's condition may share this rule's pattern (see {@link
   * ConditionFamily}); empty when the shape does not allow it exactly, or when the rule has a
   * {@link #finalStageFamily()} (a rule is in at most one kind of family).
   */
  public Optional<ConditionFamily> conditionFamily() {
    return conditionFamily;
  }

  /** {@code within}: the longest time from the first to the last event of a match. */
  public Optional<Duration> within() {
    return rule.within();
  }

  /** {@code max gap}: the longest time between two consecutive events of a match. */
  public Optional<Duration> maxGap() {
    return rule.maxGap();
  }

  public AfterMatchSkipStrategy skipStrategy() {
    return skip;
  }

  // ------------------------------------------------------------------ partitioning and routing

  /** The paths of the partition-key fields, e.g. {@code [cardId]}. */
  public List<String> keyFields() {
    return keyFields;
  }

  /**
   * The partition key of {@code event} for this rule; empty when the event is of a stream the rule
   * does not read or lacks a key field (such events never reach the rule).
   */
  public Optional<RuleKey> key(Event event) {
    return keyValues(event).map(values -> new RuleKey(keyFields, values));
  }

  /**
   * The values of {@link #key}, in the order of {@link #keyFields}: what a router asks of every
   * event, without the key record around them.
   */
  public Optional<List<Object>> keyValues(Event event) {
    int[] indexes = keyIndexesByStream.get(event.stream());
    if (indexes == null) {
      return Optional.empty();
    }
    if (indexes.length == 1) {
      Object v = event.value(indexes[0]);
      return v == null ? Optional.empty() : Optional.of(List.of(v));
    }
    Object[] values = new Object[indexes.length];
    for (int i = 0; i < indexes.length; i++) {
      values[i] = event.value(indexes[i]);
      if (values[i] == null) {
        return Optional.empty();
      }
    }
    return Optional.of(List.of(values));
  }

  /**
   * The values an event must hold to start a match (see {@link StartRequirement}); empty when the
   * rule has several start stages or its start condition names no such value. A runtime may index
   * rules by them: with 1000 rules, an event is start-tested only against those it names.
   */
  public List<StartRequirement> startRequirements() {
    return startRequirements;
  }

  /**
   * The bounds an event must keep to start a match (see {@link StartBound}), in the order of the
   * start condition's conjuncts; empty when the rule can start in more than one stage.
   */
  public List<StartBound> startBounds() {
    return startBounds;
  }

  /**
   * Equal fingerprints mean equal matching behaviour: the rule's matching signature (streams, key,
   * pattern, window, skip, {@code having}, timeout handling; not its layout, comments, metadata or
   * alert wording) and the schemas of the streams it reads. A runtime may let the partial matches
   * of one version continue under another with the same fingerprint.
   */
  public String matchingFingerprint() {
    return matchingFingerprint;
  }

  /** The streams whose events can start a match (for indexing rules by stream). */
  public Set<String> startStreams() {
    Set<String> out = new LinkedHashSet<>();
    startStages.forEach(s -> out.add(s.stream()));
    return out;
  }

  /**
   * False only when {@code event} certainly cannot start a match: it is of no start stream, or
   * every start stage's condition (those that read no other stage) is not TRUE for it. A runtime
   * may skip creating NFA state for such an event when no partial match is pending for its key.
   */
  public boolean mayStart(Event event) {
    for (StartStage start : startStages) {
      if (start.stream().equals(event.stream())
          && (start.condition().readsMatch() || start.condition().test(event, MatchView.NONE))) {
        return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ matches

  /** {@code having} on a complete match; true when the rule has none. Key read from the match. */
  public boolean having(Map<String, List<Event>> match) {
    return having(match, keyOf(match));
  }

  public boolean having(Map<String, List<Event>> match, Optional<RuleKey> key) {
    return having.map(h -> h.test(null, new CompleteMatch(match, key))).orElse(true);
  }

  /** True when the rule has an {@code alert} template (complete matches raise alerts). */
  public boolean alertsOnMatch() {
    return alert.isPresent();
  }

  /** True when the rule has an {@code on timeout alert} template (timed-out matches alert). */
  public boolean alertsOnTimeout() {
    return timeoutAlert.isPresent();
  }

  /** The alert message for a complete match; empty when the rule has no {@code alert}. */
  public Optional<String> renderAlert(Map<String, List<Event>> match, RuleKey key) {
    return alert.map(t -> t.render(new CompleteMatch(match, Optional.of(key))));
  }

  /**
   * The message for a timed-out partial match; empty when the rule has no {@code on timeout alert}.
   * Holes over stages the partial match did not reach render as {@code null}.
   */
  public Optional<String> renderTimeout(Map<String, List<Event>> partialMatch, RuleKey key) {
    return timeoutAlert.map(t -> t.render(new CompleteMatch(partialMatch, Optional.of(key))));
  }

  private Optional<RuleKey> keyOf(Map<String, List<Event>> match) {
    for (List<Event> events : match.values()) {
      for (Event e : events) {
        Optional<RuleKey> k = key(e);
        if (k.isPresent()) {
          return k;
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "CompiledRule(" + id() + ")";
  }

  // ------------------------------------------------------------------ serialization

  private Object writeReplace() throws ObjectStreamException {
    return SerializedRule.of(rule, limits);
  }

  private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
    throw new java.io.InvalidObjectException("CompiledRule is serialized as its source");
  }
}
