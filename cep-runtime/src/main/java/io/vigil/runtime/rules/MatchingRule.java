package io.vigil.runtime.rules;

import io.vigil.compiler.event.Event;
import io.vigil.runtime.alert.Alert;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.cep.pattern.Pattern;

/**
 * What the runtime needs of one compiled rule version. Compiled rules from the rule compiler are
 * adapted to it ({@code rules.compiled.CompiledMatchingRule}); tests hand-build it around plain
 * Flink patterns. Instances live in one parallel instance only and are never serialized: the
 * control stream carries source text and every instance compiles it itself.
 */
public interface MatchingRule {

  String id();

  long version();

  /** The streams the rule reads: only their events reach its NFA. */
  Set<String> streams();

  /**
   * The partition spec: the key field paths joined by {@code ","}. Rules with the same spec share
   * Flink keys (and so an event is shuffled once per spec, not once per rule).
   */
  String partitionSpec();

  /** The key of {@code event} for this rule, field path to value; empty if a key field is null. */
  Optional<Map<String, Object>> key(Event event);

  /**
   * The values of {@code event}'s key fields, in the order of the partition spec, or empty when a
   * key field is missing: the router builds the matcher's Flink key from them ({@code
   * RoutingKeys}).
   */
  default Optional<? extends java.util.Collection<?>> keyValues(Event event) {
    return key(event).map(Map::values);
  }

  /**
   * The Flink pattern, with the rule's after-match skip strategy and window. It is compiled to an
   * NFA once per parallel instance.
   */
  Pattern<Event, Event> pattern();

  /** Whether timed-out partial matches are reported ({@code on timeout alert}). */
  boolean handlesTimeout();

  /**
   * Whether complete matches raise alerts. False for a rule that only has {@code on timeout alert}:
   * it watches for something that should happen, and a complete match is the good case.
   */
  default boolean reportsMatches() {
    return true;
  }

  /**
   * A cheap test that must be true for every event the pattern's first stage(s) could take. When a
   * key has no partial match of the rule, events failing it skip the NFA (the start-condition
   * index). {@code true} is always correct, just slower.
   */
  boolean mayStart(Event event);

  /**
   * The values the rule's only start stage requires of an event: its condition is {@code field ==
   * "value" and …} (one element per such conjunct, in field order), so an event whose field holds
   * anything else cannot start a match. The matcher indexes rules by all of them together (with
   * 1000 rules, an event is start-tested only against the rules that name every one of its values).
   * Empty when there is no such requirement; that is always correct, just slower.
   */
  default List<StartValue> startValues() {
    return List.of();
  }

  /** See {@link #startValues()}: events of {@code stream} need {@code value} at {@code field}. */
  record StartValue(String stream, int field, Object value) {
    public StartValue {
      java.util.Objects.requireNonNull(stream, "stream");
      java.util.Objects.requireNonNull(value, "value");
    }
  }

  /**
   * The bounds the rule's only start stage requires of an event: its condition is {@code field >
   * constant and …} (or {@code >=}, {@code <}, {@code <=}), so an event whose field is on the other
   * side, or missing, cannot start a match. The matcher sorts rules without {@link #startValues()}
   * by the constant of their first bound (with 200 rules of one shape and per-rule thresholds, an
   * event is start-tested only against the rules whose threshold it passes). Empty when there is no
   * such bound; that is always correct, just slower.
   */
  default List<io.vigil.compiler.rule.CompiledRule.StartBound> startBounds() {
    return List.of();
  }

  /**
   * How the rule splits into a prefix and a final stage that rules differing only in that stage's
   * condition may share ({@link io.vigil.compiler.rule.FinalStageFamily}); empty when they may not,
   * which is always correct, just slower.
   */
  default Optional<io.vigil.compiler.rule.FinalStageFamily> finalStageFamily() {
    return Optional.empty();
  }

  /**
   * How the rule shares its pattern with rules differing only in one stage's condition ({@link
   * io.vigil.compiler.rule.ConditionFamily}); empty when it may not, which is always correct, just
   * slower.
   */
  default Optional<io.vigil.compiler.rule.ConditionFamily> conditionFamily() {
    return Optional.empty();
  }

  /** The {@code having} condition on a complete match; true when the rule has none. */
  boolean having(Map<String, List<Event>> match);

  /**
   * Equal fingerprints mean equal matching behaviour (streams, schemas, key, pattern, window, skip,
   * having, timeout handling): partial matches of one version may be continued by the other.
   */
  String matchingFingerprint();

  /**
   * How many evaluations of this version's conditions and templates failed on events (they did not
   * hold, or rendered a placeholder); empty when the rule does not count them.
   */
  default Optional<java.util.function.LongSupplier> evaluationFailures() {
    return Optional.empty();
  }

  /**
   * How many evaluations of this version a limit cut (a DRL rule set past its firings or time per
   * evaluation); empty for rules that have no such limit.
   */
  default Optional<java.util.function.LongSupplier> evaluationsCut() {
    return Optional.empty();
  }

  /**
   * Why this version cannot run beside the other running rules (a DRL rule set that would read its
   * own alerts through others); empty when it can. A refused version is rejected and the running
   * ones go on.
   */
  default Optional<String> refusedBeside(java.util.Collection<MatchingRule> others) {
    return Optional.empty();
  }

  /**
   * Title, message, severity, tags and owner of an alert for a match or timed-out partial match.
   */
  AlertText render(Alert.Kind kind, Map<String, List<Event>> match, Map<String, Object> key);

  /**
   * The alerts of one complete match: exactly one for a pattern rule. A DRL decision rule set
   * raises any number for one event; each then carries a discriminator (which DRL rule raised it,
   * with which key) that enters its alert id, so that the ids stay distinct and deterministic. The
   * discriminator of a pattern rule's alert is empty, and its id what it always was.
   */
  default List<RaisedText> alertTexts(Map<String, List<Event>> match, Map<String, Object> key) {
    return List.of(new RaisedText("", render(Alert.Kind.MATCH, match, key)));
  }

  /** See {@link #alertTexts}. */
  record RaisedText(String discriminator, AlertText text) {
    public RaisedText {
      java.util.Objects.requireNonNull(discriminator, "discriminator");
      java.util.Objects.requireNonNull(text, "text");
    }
  }

  /** The event as the JSON object its stream declares (alerts carry the matched events). */
  Map<String, Object> encode(Event event);

  /** The human-facing part of an alert. */
  record AlertText(
      String title, String message, String severity, List<String> tags, Optional<String> owner) {
    public AlertText {
      tags = List.copyOf(tags);
    }
  }
}
