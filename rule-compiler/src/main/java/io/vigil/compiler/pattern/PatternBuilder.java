package io.vigil.compiler.pattern;

import io.vigil.compiler.condition.CompiledCondition;
import io.vigil.compiler.condition.EvaluationFailures;
import io.vigil.compiler.condition.ExpressionCompiler;
import io.vigil.compiler.event.Event;
import io.vigil.dsl.ast.Quantifier;
import io.vigil.dsl.ast.Sequence.Link;
import io.vigil.dsl.check.CheckedPattern;
import io.vigil.dsl.check.CheckedPattern.Element;
import io.vigil.dsl.check.CheckedPattern.Group;
import io.vigil.dsl.check.CheckedPattern.Stage;
import io.vigil.dsl.check.SkipStrategy;
import io.vigil.dsl.check.TypedExpr;
import io.vigil.dsl.schema.Type;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.WithinType;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;

/**
 * Builds a Flink {@link Pattern} from a checked pattern, one DSL construct to one Flink call:
 *
 * <pre>
 * then        followedBy        {n}    times(n)          greedy           greedy()
 * next        next              {n,m}  times(n, m)       consecutive      consecutive()
 * then any    followedByAny     {n,}   timesOrMore(n)    any combination  allowCombinations()
 * not next    notNext           +      oneOrMore()       until (c)        until(c)
 * not then    notFollowedBy     *      oneOrMore().optional()
 * ( ... )     GroupPattern      ?      optional()
 * within D    within(D, FIRST_AND_LAST) on the last element
 * max gap D   within(D, PREVIOUS_AND_CURRENT) on every element
 * </pre>
 *
 * The stage conditions are compiled once ({@link #compile}); {@link #build} makes a fresh Pattern
 * each call, sharing the (stateless) conditions.
 */
public final class PatternBuilder implements Serializable {

  private static final long serialVersionUID = 1L;

  private final Map<String, IterativeCondition<Event>> conditions;
  private final Map<String, IterativeCondition<Event>> untils;

  private PatternBuilder(
      Map<String, IterativeCondition<Event>> conditions,
      Map<String, IterativeCondition<Event>> untils) {
    this.conditions = conditions;
    this.untils = untils;
  }

  /** Compiles every stage condition (and {@code until}) of {@code pattern}. */
  public static PatternBuilder compile(CheckedPattern pattern) {
    return compile(pattern, new EvaluationFailures("(unnamed)"));
  }

  /** {@link #compile(CheckedPattern)}, the conditions' failures counted by {@code failures}. */
  public static PatternBuilder compile(CheckedPattern pattern, EvaluationFailures failures) {
    Map<String, IterativeCondition<Event>> conditions = new HashMap<>();
    Map<String, IterativeCondition<Event>> untils = new HashMap<>();
    for (Stage stage : pattern.stages()) {
      String stream = stage.stream().name();
      conditions.put(
          stage.name(),
          flinkCondition(
              stream,
              ExpressionCompiler.condition(
                  stage.condition(), failures, "condition of stage " + stage.name())));
      stage
          .until()
          .ifPresent(
              u ->
                  untils.put(
                      stage.name(),
                      flinkCondition(
                          stream,
                          ExpressionCompiler.condition(
                              u, failures, "until of stage " + stage.name()))));
    }
    return new PatternBuilder(Map.copyOf(conditions), Map.copyOf(untils));
  }

  /** Flink's condition for a stage: a SimpleCondition unless it reads the partial match. */
  public static IterativeCondition<Event> flinkCondition(
      String stream, io.vigil.dsl.check.TypedExpr expr) {
    return flinkCondition(stream, ExpressionCompiler.condition(expr));
  }

  private static IterativeCondition<Event> flinkCondition(
      String stream, CompiledCondition compiled) {
    return compiled.readsMatch()
        ? new StageCondition(stream, compiled)
        : new StageFilter(stream, compiled);
  }

  /**
   * A condition on the event alone that holds whenever stage {@code stage}'s condition does: the
   * stage's stream and the conjuncts of its condition that read nothing of the match. When the
   * condition reads nothing of the match, it is that very condition ({@link #condition}).
   */
  public IterativeCondition<Event> eventGuard(Stage stage, EvaluationFailures failures) {
    IterativeCondition<Event> condition = condition(stage.name());
    if (condition instanceof StageFilter) {
      return condition;
    }
    TypedExpr guard =
        ExpressionCompiler.eventConjuncts(stage.condition())
            .orElse(new TypedExpr.Constant(Type.BOOLEAN, true));
    return new StageFilter(
        stage.stream().name(),
        ExpressionCompiler.condition(guard, failures, "condition of stage " + stage.name()));
  }

  /**
   * The conjuncts of {@code stage}'s condition that read earlier stages ({@link
   * ExpressionCompiler#matchConjuncts}) as a Flink condition, with their form; empty when the
   * condition reads only its event. With {@link #eventGuard} they make the condition: an event
   * passes it exactly when it passes both.
   */
  public Optional<MatchConjuncts> matchConjuncts(Stage stage, EvaluationFailures failures) {
    if (condition(stage.name()) instanceof StageFilter) {
      return Optional.empty();
    }
    return ExpressionCompiler.matchConjuncts(stage.condition())
        .map(
            expr ->
                new MatchConjuncts(
                    new StageCondition(
                        stage.stream().name(),
                        ExpressionCompiler.condition(
                            expr, failures, "condition of stage " + stage.name())),
                    new ConditionForm(stage.stream().name(), expr)));
  }

  /**
   * Conjuncts of a stage condition that read earlier stages.
   *
   * @param condition they as a Flink condition (of the stage's stream)
   * @param form their expression: conjuncts of equal forms, in patterns whose stages are named and
   *     read alike, are TRUE for the same event and partial match
   */
  public record MatchConjuncts(IterativeCondition<Event> condition, ConditionForm form) {}

  /** The compiled condition of stage {@code stage} (the object every built pattern uses). */
  public IterativeCondition<Event> condition(String stage) {
    IterativeCondition<Event> condition = conditions.get(stage);
    if (condition == null) {
      throw new IllegalArgumentException("no stage " + stage);
    }
    return condition;
  }

  /** Whether stage {@code stage}'s condition reads only its event (no other stage's events). */
  public boolean readsOnlyItsEvent(String stage) {
    return condition(stage) instanceof StageFilter;
  }

  /** The same builder but for stage {@code stage}, whose condition is {@code condition}. */
  public PatternBuilder withCondition(String stage, IterativeCondition<Event> condition) {
    if (!conditions.containsKey(stage)) {
      throw new IllegalArgumentException("no stage " + stage);
    }
    Map<String, IterativeCondition<Event>> replaced = new HashMap<>(conditions);
    replaced.put(stage, condition);
    return new PatternBuilder(Map.copyOf(replaced), untils);
  }

  public static AfterMatchSkipStrategy skipStrategy(SkipStrategy skip) {
    return switch (skip.kind()) {
      case NONE -> AfterMatchSkipStrategy.noSkip();
      case TO_NEXT -> AfterMatchSkipStrategy.skipToNext();
      case PAST_LAST_EVENT -> AfterMatchSkipStrategy.skipPastLastEvent();
      case TO_FIRST -> AfterMatchSkipStrategy.skipToFirst(skip.stage().orElseThrow());
      case TO_LAST -> AfterMatchSkipStrategy.skipToLast(skip.stage().orElseThrow());
    };
  }

  /**
   * A fresh Flink pattern. May throw Flink's {@code MalformedPatternException} for a structure
   * Flink refuses; {@code RuleCompiler} calls it once at compile time and reports that as a
   * diagnostic, so a compiled rule never throws here.
   */
  public Pattern<Event, Event> build(
      CheckedPattern pattern,
      AfterMatchSkipStrategy skip,
      Optional<Duration> within,
      Optional<Duration> maxGap) {
    Pattern<Event, Event> built = sequence(pattern, Optional.of(skip), maxGap);
    if (within.isPresent()) {
      built = built.within(within.get(), WithinType.FIRST_AND_LAST);
    }
    return built;
  }

  private Pattern<Event, Event> sequence(
      CheckedPattern pattern, Optional<AfterMatchSkipStrategy> skip, Optional<Duration> maxGap) {
    Pattern<Event, Event> current = null;
    for (CheckedPattern.Step step : pattern.steps()) {
      Element element = step.element();
      if (current == null) {
        current = begin(element, skip, maxGap);
      } else {
        current = link(current, step.link(), element, maxGap);
      }
      current = shape(current, element);
      if (maxGap.isPresent()) {
        current = current.within(maxGap.get(), WithinType.PREVIOUS_AND_CURRENT);
      }
    }
    return current;
  }

  private Pattern<Event, Event> begin(
      Element element, Optional<AfterMatchSkipStrategy> skip, Optional<Duration> maxGap) {
    if (element instanceof Stage s) {
      return skip.isPresent() ? Pattern.begin(s.name(), skip.get()) : Pattern.begin(s.name());
    }
    Pattern<Event, Event> body = sequence(((Group) element).body(), Optional.empty(), maxGap);
    return skip.isPresent() ? Pattern.begin(body, skip.get()) : Pattern.begin(body);
  }

  private Pattern<Event, Event> link(
      Pattern<Event, Event> current, Link link, Element element, Optional<Duration> maxGap) {
    if (element instanceof Stage s) {
      String name = s.name();
      return switch (link) {
        case START, FOLLOWED_BY -> current.followedBy(name);
        case NEXT -> current.next(name);
        case FOLLOWED_BY_ANY -> current.followedByAny(name);
        case NOT_NEXT -> current.notNext(name);
        case NOT_FOLLOWED_BY -> current.notFollowedBy(name);
      };
    }
    Pattern<Event, Event> body = sequence(((Group) element).body(), Optional.empty(), maxGap);
    return switch (link) {
      case START, FOLLOWED_BY -> current.followedBy(body);
      case NEXT -> current.next(body);
      case FOLLOWED_BY_ANY -> current.followedByAny(body);
      case NOT_NEXT, NOT_FOLLOWED_BY ->
          throw new IllegalArgumentException("a group cannot be negated: " + link);
    };
  }

  /** Condition, quantifier and modifiers, in the order Flink's builder requires. */
  private Pattern<Event, Event> shape(Pattern<Event, Event> p, Element element) {
    if (element instanceof Stage s) {
      p = p.where(conditions.get(s.name()));
    }
    Quantifier q = element.quantifier();
    switch (q.kind()) {
      case ONE -> {}
      case TIMES -> p = p.times(q.min());
      case RANGE -> {
        // Flink's times(0, m) would do the same; spelling it out keeps the mapping visible.
        p =
            q.min() == 0
                ? p.times(1, q.max().getAsInt()).optional()
                : p.times(q.min(), q.max().getAsInt());
      }
      case AT_LEAST -> p = q.min() <= 1 ? p.oneOrMore() : p.timesOrMore(q.min());
      case ONE_OR_MORE -> p = p.oneOrMore();
      case ZERO_OR_MORE -> p = p.oneOrMore().optional();
      case OPTIONAL -> p = p.optional();
    }
    if (q.kind() == Quantifier.Kind.AT_LEAST && q.min() == 0) {
      p = p.optional();
    }
    switch (element.inner()) {
      case RELAXED -> {}
      case STRICT -> p = p.consecutive();
      case NON_DETERMINISTIC -> p = p.allowCombinations();
    }
    if (element.greedy()) {
      p = p.greedy();
    }
    if (element instanceof Stage s && s.until().isPresent()) {
      p = p.until(untils.get(s.name()));
    }
    return p;
  }
}
