package io.vigil.runtime.matcher;

import io.vigil.compiler.event.Event;
import io.vigil.dsl.schema.StreamSchema;
import io.vigil.dsl.schema.Type;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.rules.MatchingRule;
import io.vigil.runtime.rules.RuleBuilder;
import io.vigil.runtime.rules.RuleRejectedException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/**
 * Rules written directly as Flink patterns, so that the matcher is tested without the rule
 * compiler. Events of the test streams carry {@code [key, kind, value, ts]}; a rule's "source"
 * names one of the patterns below, optionally followed by {@code |title} (metadata that does not
 * change the pattern).
 */
final class HandBuiltRules {

  private HandBuiltRules() {}

  static StreamSchema schema(String name, Duration lateness) {
    return new StreamSchema(
        name,
        List.of(
            new StreamSchema.Field("key", Type.STRING, 0),
            new StreamSchema.Field("kind", Type.STRING, 1),
            new StreamSchema.Field("value", Type.LONG, 2),
            new StreamSchema.Field("ts", Type.TIMESTAMP, 3)),
        3,
        lateness);
  }

  static Event event(String stream, String key, String kind, long value, long ts) {
    return new Event(stream, ts, new Object[] {key, kind, value, ts});
  }

  static SimpleCondition<Event> kind(String kind) {
    return SimpleCondition.of(e -> kind.equals(e.value(1)));
  }

  static SimpleCondition<Event> kindAndStream(String kind, String stream) {
    return SimpleCondition.of(e -> kind.equals(e.value(1)) && stream.equals(e.stream()));
  }

  /** A pattern with what the runtime needs besides it. */
  record Shape(
      Supplier<Pattern<Event, Event>> pattern,
      Set<String> streams,
      boolean timeout,
      String startKind) {}

  /** The patterns by name: every contiguity, loops, windows, negation and skip strategies. */
  static final Map<String, Shape> SHAPES = shapes();

  /** {@code a} then (relaxed) {@code b} within {@code windowMs}, timeouts reported or not. */
  private static Shape aThenB(long windowMs, boolean timeout) {
    return new Shape(
        () ->
            Pattern.<Event>begin("a")
                .where(kind("A"))
                .followedBy("b")
                .where(kind("B"))
                .within(Duration.ofMillis(windowMs)),
        Set.of("s"),
        timeout,
        "A");
  }

  private static Map<String, Shape> shapes() {
    Map<String, Shape> m = new LinkedHashMap<>();
    m.put("a-then-b-within-10", aThenB(10, false));
    m.put("a-then-b-timeout-10", aThenB(10, true));
    m.put("a-then-b-timeout-30", aThenB(30, true));
    m.put(
        "a-next-b",
        new Shape(
            () -> Pattern.<Event>begin("a").where(kind("A")).next("b").where(kind("B")),
            Set.of("s"),
            false,
            "A"));
    m.put(
        "a2plus-consecutive-then-c-past-last",
        new Shape(
            () ->
                Pattern.<Event>begin("a", AfterMatchSkipStrategy.skipPastLastEvent())
                    .where(kind("A"))
                    .timesOrMore(2)
                    .consecutive()
                    .followedBy("c")
                    .where(kind("C"))
                    .within(Duration.ofMillis(30)),
            Set.of("s"),
            false,
            "A"));
    m.put(
        "a-then-any-b-within-20",
        new Shape(
            () ->
                Pattern.<Event>begin("a")
                    .where(kind("A"))
                    .followedByAny("b")
                    .where(kind("B"))
                    .within(Duration.ofMillis(20)),
            Set.of("s"),
            false,
            "A"));
    m.put(
        "a-not-followed-by-c-within-15",
        new Shape(
            () ->
                Pattern.<Event>begin("a")
                    .where(kind("A"))
                    .notFollowedBy("c")
                    .where(kind("C"))
                    .within(Duration.ofMillis(15)),
            Set.of("s"),
            false,
            "A"));
    m.put(
        "cross-stream-a-then-t-b-within-25",
        new Shape(
            () ->
                Pattern.<Event>begin("a")
                    .where(kindAndStream("A", "s"))
                    .followedBy("b")
                    .where(kindAndStream("B", "t"))
                    .within(Duration.ofMillis(25)),
            Set.of("s", "t"),
            true,
            "A"));
    return java.util.Collections.unmodifiableMap(m);
  }

  static RuleCommand.UpsertRule upsert(String id, long version, String shape) {
    return new RuleCommand.UpsertRule(id, version, shape, Long.MIN_VALUE, false);
  }

  static RuleCommand.DeclareStream declare(String stream) {
    return new RuleCommand.DeclareStream(stream, 1, stream);
  }

  /**
   * {@code fam-b-above-N}: {@code a: kind A then b: kind B and value > N within 10 ms}, skip none;
   * {@code fam-b-above-N/W} the same within W ms. Rules of any N and W form one final-stage family.
   */
  static final String FAMILY = "fam-b-above-";

  /**
   * {@code twice-b-above-N/W}: {@code a: kind A {2} then b: kind B and value > N within W ms}, skip
   * none; rules of any N and W form one final-stage family, whose prefix holds partial matches.
   */
  static final String TWICE_FAMILY = "twice-b-above-";

  private static SimpleCondition<Event> bAbove(long above) {
    return SimpleCondition.of(e -> "B".equals(e.value(1)) && (Long) e.value(2) > above);
  }

  private static Pattern<Event, Event> as(int times, Duration window) {
    Pattern<Event, Event> a = Pattern.<Event>begin("a").where(kind("A"));
    return (times > 1 ? a.times(times) : a).within(window);
  }

  private static Shape familyShape(long above, Duration window, int times) {
    return new Shape(
        () -> as(times, window).followedBy("b").where(bAbove(above)).within(window),
        Set.of("s"),
        false,
        "A");
  }

  private static io.vigil.compiler.rule.FinalStageFamily familyOf(
      long above, Duration window, int times) {
    return new io.vigil.compiler.rule.FinalStageFamily(
        "a {" + times + "} then b",
        "b",
        io.vigil.dsl.ast.Sequence.Link.FOLLOWED_BY,
        bAbove(above),
        bAbove(above),
        Optional.empty(),
        Optional.empty(),
        false,
        window,
        longest -> as(times, longest));
  }

  /**
   * {@code cond-a-above-N}: {@code a: kind A and value > N {2} consecutive within 10 ms}, skip
   * none; rules of any N form one condition family.
   */
  static final String CONDITION_FAMILY = "cond-a-above-";

  private static SimpleCondition<Event> aAbove(long above) {
    return SimpleCondition.of(e -> "A".equals(e.value(1)) && (Long) e.value(2) > above);
  }

  private static Pattern<Event, Event> twoConsecutive(
      org.apache.flink.cep.pattern.conditions.IterativeCondition<Event> a, Duration window) {
    return Pattern.<Event>begin("a").where(a).times(2).consecutive().within(window);
  }

  private static io.vigil.compiler.rule.ConditionFamily conditionFamilyOf(long above) {
    return new io.vigil.compiler.rule.ConditionFamily(
        "a {2} consecutive within 10",
        "a", aAbove(above), true, Duration.ofMillis(10), HandBuiltRules::twoConsecutive, false);
  }

  /** Builds hand-built rules; a stream's "source" is its name (lateness 5 ms). */
  static final class Builder implements RuleBuilder {
    private static final long serialVersionUID = 1L;

    @Override
    public StreamSchema declareStream(
        RuleCommand.DeclareStream command, Map<String, StreamSchema> known)
        throws RuleRejectedException {
      if (!command.source().matches("[a-z]+")) {
        throw new RuleRejectedException("bad stream source: " + command.source());
      }
      return schema(command.source(), Duration.ofMillis(5));
    }

    @Override
    public MatchingRule buildRule(RuleCommand.UpsertRule command, Map<String, StreamSchema> streams)
        throws RuleRejectedException {
      String[] parts = command.source().split("\\|", 2);
      String family =
          parts[0].startsWith(FAMILY)
              ? FAMILY
              : parts[0].startsWith(TWICE_FAMILY) ? TWICE_FAMILY : "";
      if (!family.isEmpty()) {
        int times = family.equals(FAMILY) ? 1 : 2;
        String[] bounds = parts[0].substring(family.length()).split("/", 2);
        long above = Long.parseLong(bounds[0]);
        Duration window = Duration.ofMillis(bounds.length > 1 ? Long.parseLong(bounds[1]) : 10);
        return new Rule(
            command.ruleId(),
            command.version(),
            parts[0],
            familyShape(above, window, times),
            parts.length > 1 ? parts[1] : parts[0],
            Optional.of(familyOf(above, window, times)));
      }
      if (parts[0].startsWith(CONDITION_FAMILY)) {
        long above = Long.parseLong(parts[0].substring(CONDITION_FAMILY.length()));
        Rule rule =
            new Rule(
                command.ruleId(),
                command.version(),
                parts[0],
                new Shape(
                    () -> twoConsecutive(aAbove(above), Duration.ofMillis(10)),
                    Set.of("s"),
                    false,
                    "A"),
                parts.length > 1 ? parts[1] : parts[0],
                Optional.empty());
        return rule.inConditionFamily(conditionFamilyOf(above));
      }
      Shape shape = SHAPES.get(parts[0]);
      if (shape == null) {
        throw new RuleRejectedException("1:1: error: unknown pattern '" + parts[0] + "'");
      }
      for (String s : shape.streams()) {
        if (!streams.containsKey(s)) {
          throw new RuleRejectedException("1:1: error: unknown stream '" + s + "'");
        }
      }
      return new Rule(
          command.ruleId(),
          command.version(),
          parts[0],
          shape,
          parts.length > 1 ? parts[1] : parts[0],
          Optional.empty());
    }
  }

  /** A hand-built rule: partitioned by the {@code key} field. */
  static final class Rule implements MatchingRule {
    private final String id;
    private final long version;
    private final String shapeName;
    private final Shape shape;
    private final String title;
    private final Pattern<Event, Event> pattern;
    private final Optional<io.vigil.compiler.rule.FinalStageFamily> family;
    private Optional<io.vigil.compiler.rule.ConditionFamily> conditionFamily = Optional.empty();

    Rule(
        String id,
        long version,
        String shapeName,
        Shape shape,
        String title,
        Optional<io.vigil.compiler.rule.FinalStageFamily> family) {
      this.family = family;
      this.id = id;
      this.version = version;
      this.shapeName = shapeName;
      this.shape = shape;
      this.title = title;
      this.pattern = shape.pattern().get();
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
      return shape.streams();
    }

    @Override
    public String partitionSpec() {
      return "key";
    }

    @Override
    public Optional<Map<String, Object>> key(Event event) {
      Object key = event.value(0);
      return key == null ? Optional.empty() : Optional.of(Map.of("key", key));
    }

    @Override
    public Pattern<Event, Event> pattern() {
      return pattern;
    }

    @Override
    public boolean handlesTimeout() {
      return shape.timeout();
    }

    @Override
    public boolean mayStart(Event event) {
      return shape.startKind().equals(event.value(1));
    }

    @Override
    public boolean having(Map<String, List<Event>> match) {
      return true;
    }

    @Override
    public Optional<io.vigil.compiler.rule.FinalStageFamily> finalStageFamily() {
      return family;
    }

    /** The same rule as a member of a condition family. */
    Rule inConditionFamily(io.vigil.compiler.rule.ConditionFamily family) {
      this.conditionFamily = Optional.of(family);
      return this;
    }

    @Override
    public Optional<io.vigil.compiler.rule.ConditionFamily> conditionFamily() {
      return conditionFamily;
    }

    @Override
    public String matchingFingerprint() {
      return shapeName;
    }

    @Override
    public AlertText render(
        Alert.Kind kind, Map<String, List<Event>> match, Map<String, Object> key) {
      return new AlertText(title, kind + " " + key, "high", List.of("test"), Optional.empty());
    }

    @Override
    public Map<String, Object> encode(Event event) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("stream", event.stream());
      out.put("key", event.value(0));
      out.put("kind", event.value(1));
      out.put("value", event.value(2));
      out.put("ts", event.value(3));
      return out;
    }
  }
}
