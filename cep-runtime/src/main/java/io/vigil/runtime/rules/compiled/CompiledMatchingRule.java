package io.vigil.runtime.rules.compiled;

import io.vigil.compiler.event.Event;
import io.vigil.compiler.event.EventEncoder;
import io.vigil.compiler.rule.CompiledRule;
import io.vigil.compiler.rule.RuleKey;
import io.vigil.dsl.check.RuleMetadata;
import io.vigil.dsl.schema.StreamSchema;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.rules.MatchingRule;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.cep.pattern.Pattern;

/** A rule from the rule compiler, as the matcher sees it. */
public final class CompiledMatchingRule implements MatchingRule {

  // Decimals stay BigDecimal (scale kept) on their way into the alert.

  private final CompiledRule rule;
  private final long version;
  private final Set<String> streams;
  private final String spec;
  private final Pattern<Event, Event> pattern;
  private final Map<String, EventEncoder> encoders = new HashMap<>();
  private final List<StartValue> startValues;

  public CompiledMatchingRule(CompiledRule rule, long version) {
    this.rule = rule;
    this.version = version;
    this.streams = Set.copyOf(rule.streams());
    this.spec = String.join(",", rule.keyFields());
    this.pattern = rule.pattern();
    for (StreamSchema schema : rule.schemas()) {
      encoders.put(schema.name(), new EventEncoder(schema));
    }
    this.startValues =
        rule.startRequirements().stream()
            .map(r -> new StartValue(r.stream(), r.field(), r.value()))
            .toList();
  }

  @Override
  public Optional<java.util.function.LongSupplier> evaluationFailures() {
    return Optional.of(rule.evaluationFailures());
  }

  public CompiledRule compiled() {
    return rule;
  }

  @Override
  public String id() {
    return rule.id();
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
    return rule.key(event).map(CompiledMatchingRule::keyMap);
  }

  @Override
  public Optional<List<Object>> keyValues(Event event) {
    // The router asks this for every event: no map in between.
    return rule.keyValues(event);
  }

  private static Map<String, Object> keyMap(RuleKey key) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < key.fields().size(); i++) {
      out.put(key.fields().get(i), key.value(i));
    }
    return out;
  }

  @Override
  public Pattern<Event, Event> pattern() {
    return pattern;
  }

  @Override
  public boolean handlesTimeout() {
    return rule.alertsOnTimeout();
  }

  @Override
  public boolean reportsMatches() {
    // A rule with only an `on timeout alert` watches for absence: its complete matches are the
    // good case and raise nothing.
    return rule.alertsOnMatch() || !rule.alertsOnTimeout();
  }

  @Override
  public boolean mayStart(Event event) {
    return rule.mayStart(event);
  }

  @Override
  public List<StartValue> startValues() {
    return startValues;
  }

  @Override
  public List<CompiledRule.StartBound> startBounds() {
    return rule.startBounds();
  }

  @Override
  public Optional<io.vigil.compiler.rule.FinalStageFamily> finalStageFamily() {
    return rule.finalStageFamily();
  }

  @Override
  public Optional<io.vigil.compiler.rule.ConditionFamily> conditionFamily() {
    return rule.conditionFamily();
  }

  @Override
  public boolean having(Map<String, List<Event>> match) {
    return rule.having(match);
  }

  @Override
  public String matchingFingerprint() {
    return rule.matchingFingerprint();
  }

  @Override
  public AlertText render(
      Alert.Kind kind, Map<String, List<Event>> match, Map<String, Object> key) {
    RuleMetadata metadata = rule.metadata();
    RuleKey ruleKey = new RuleKey(List.copyOf(key.keySet()), List.copyOf(key.values()));
    Optional<String> message =
        kind == Alert.Kind.MATCH
            ? rule.renderAlert(match, ruleKey)
            : rule.renderTimeout(match, ruleKey);
    String title = metadata.title().isEmpty() ? rule.id() : metadata.title();
    return new AlertText(
        title,
        message.orElse(title),
        metadata.severity().keyword(),
        metadata.tags(),
        metadata.owner());
  }

  @Override
  public Map<String, Object> encode(Event event) {
    EventEncoder encoder = encoders.get(event.stream());
    if (encoder == null) {
      return Map.of();
    }
    return encoder.toMap(event);
  }
}
