package io.vigil.compiler.rule;

import io.vigil.compiler.condition.EvaluationFailures;
import io.vigil.compiler.event.Event;
import io.vigil.compiler.pattern.PatternBuilder;
import io.vigil.dsl.ast.Quantifier;
import io.vigil.dsl.ast.RuleDecl.Skip;
import io.vigil.dsl.ast.Sequence;
import io.vigil.dsl.ast.Sequence.Link;
import io.vigil.dsl.check.CheckedPattern;
import io.vigil.dsl.check.CheckedRule;
import io.vigil.dsl.syntax.RulePrinter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.WithinType;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;

/**
 * A rule whose matches are those of its pattern without the final stage (the prefix), each
 * completed by one later event that passes the final stage's condition; rules with equal {@link
 * #fingerprint} differ at most in that condition (and in {@code having}, alerts and metadata), so a
 * runtime may run their prefix once and evaluate each rule's final condition on its own.
 *
 * <p>Only shapes for which that split is exactly what Flink's NFA does qualify ({@link #of}):
 *
 * <ul>
 *   <li>the final element is one stage taken once ({@code then}, {@code next} or {@code then any},
 *       no quantifier, no {@code until}): in the NFA it is one state with a TAKE to the final state
 *       and, for {@code then} / {@code then any}, an IGNORE to itself, so a partial match waiting
 *       there completes on the first later event passing the condition ({@code then}), on that very
 *       next event or never ({@code next}), or on every such event ({@code then any});
 *   <li>the element before it is a stage taken once or exactly {@code {n}} times: no PROCEED edge
 *       leads from the prefix into the final stage, so no prefix state ever evaluates the final
 *       condition, and a prefix partial match reaches the final stage exactly when the prefix
 *       pattern alone completes a match;
 *   <li>every element is a stage (no group), no negation, no {@code max gap}, a {@code within}
 *       window (it bounds the waiting partial matches, and a drain of a previous version can be
 *       timed), and no {@code on timeout alert};
 *   <li>{@code skip none} (a match prunes nothing, so one rule's matches never change the partial
 *       matches it shares with the others), or {@code skip past last event} when the prefix is one
 *       stage taken once and the final stage follows it by {@code then} or {@code next}: then the
 *       prefix holds no partial match of its own (each of its matches is one event), and what a
 *       match prunes is only the member's own waiting final stages, which it keeps apart.
 * </ul>
 *
 * <p>When the prefix is one stage taken once ({@link #first}), the members may also differ in that
 * stage's condition: the prefix of the family takes every event that passes any member's first
 * condition, and each member keeps only the prefix matches whose event passes its own (a member's
 * own NFA starts a partial match on exactly those events, and nothing else about the partial match
 * depends on the condition).
 *
 * <p>The members may also differ in their {@code within}. The window enters Flink's NFA only to
 * drop a partial match before an event (or at a watermark) a window or more after its first event,
 * and with no negation nothing else about a match depends on it. So the family runs its prefix with
 * the longest of the members' windows; a member takes a prefix match only when the event that
 * completed it is less than the member's window after its first event, and drops its wait a window
 * after that first event ({@link #window}), as its own NFA does.
 *
 * @param fingerprint equal for rules that may share their prefix: streams and schemas, key, the
 *     prefix as written, the final stage's name, stream and link, skip and alert kinds
 * @param stage the final stage's name
 * @param link how the final stage follows the prefix
 * @param condition the final stage's Flink condition (it may read the prefix's events)
 * @param guard a Flink condition on the event alone that holds whenever {@code condition} does (the
 *     final stage's stream and the conjuncts of its condition that read nothing of the prefix), so
 *     that an event it turns away need not be tested against each prefix match; {@code condition}
 *     itself when that reads nothing of the prefix
 * @param matchConjuncts the conjuncts of the final stage's condition that read the prefix, when it
 *     has any: an event that passes {@code guard} passes {@code condition} exactly when it passes
 *     these, so members whose conjuncts are written alike test them once per prefix match
 * @param first the prefix's only stage when it is one stage taken once (members may differ in its
 *     condition); empty otherwise
 * @param skipPastLastEvent whether a match prunes the member's partial matches that began at or
 *     before its last event ({@code skip past last event}); otherwise {@code skip none}
 * @param window the rule's {@code within}
 * @param prefix builds {@link #prefixPattern} with a given window
 */
public record FinalStageFamily(
    String fingerprint,
    String stage,
    Link link,
    IterativeCondition<Event> condition,
    IterativeCondition<Event> guard,
    Optional<PatternBuilder.MatchConjuncts> matchConjuncts,
    Optional<FirstStage> first,
    boolean skipPastLastEvent,
    Duration window,
    Function<Duration, Pattern<Event, Event>> prefix) {

  /**
   * The prefix when it is one stage taken once.
   *
   * @param name the stage's name
   * @param condition its Flink condition (it reads no other stage: there is none before it)
   */
  public record FirstStage(String name, IterativeCondition<Event> condition) {}

  /**
   * The first stage of a family whose members may differ in its condition ({@link #first}), for
   * {@code members} in this order.
   *
   * @throws IllegalArgumentException if a member has no {@link #first}
   */
  public static FirstConditions firstConditions(List<FinalStageFamily> members) {
    List<IterativeCondition<Event>> conditions = new ArrayList<>();
    for (FinalStageFamily member : members) {
      conditions.add(
          member
              .first()
              .orElseThrow(() -> new IllegalArgumentException("no single first stage"))
              .condition());
    }
    return new FirstConditions(
        members.get(0).first().orElseThrow().name(), window(members), List.copyOf(conditions));
  }

  /** The longest of the members' windows: the shared prefix's. */
  public static Duration window(List<FinalStageFamily> members) {
    return FamilyWindow.longest(members.stream().map(FinalStageFamily::window).toList());
  }

  /**
   * The members' first conditions as one ({@link MemberConditions}), with the one-stage prefix
   * pattern that tests them.
   */
  public static final class FirstConditions extends MemberConditions {
    private static final long serialVersionUID = 1L;
    private final String stage;
    private final Duration window;

    FirstConditions(String stage, Duration window, List<IterativeCondition<Event>> conditions) {
      super(conditions);
      this.stage = stage;
      this.window = window;
    }

    /**
     * The prefix: one stage, named as the members', taking every event this passes, within the
     * longest of their windows, without skipping (a prefix match is one event, so no skip strategy
     * changes it).
     */
    public Pattern<Event, Event> pattern() {
      return Pattern.<Event>begin(stage, AfterMatchSkipStrategy.noSkip())
          .where(this)
          .within(window, WithinType.FIRST_AND_LAST);
    }
  }

  /**
   * A fresh Flink pattern of everything but the final stage, within {@code window} (the longest of
   * the members'), with no skip strategy (the conditions are the rule's own objects).
   */
  public Pattern<Event, Event> prefixPattern(Duration window) {
    return prefix.apply(window);
  }

  /** The split of {@code rule}, if its shape qualifies (see the class comment). */
  static Optional<FinalStageFamily> of(
      CheckedRule rule, PatternBuilder builder, EvaluationFailures failures) {
    List<CheckedPattern.Step> steps = rule.pattern().steps();
    Optional<Sequence> written = rule.declaration().pattern();
    if (steps.size() < 2
        || written.isEmpty()
        || written.get().steps().size() != steps.size()
        || rule.maxGap().isPresent()
        || rule.within().isEmpty()
        || (rule.skip().kind() != Skip.Kind.NONE && rule.skip().kind() != Skip.Kind.PAST_LAST_EVENT)
        || rule.timeoutAlert().isPresent()) {
      return Optional.empty();
    }
    for (CheckedPattern.Step step : steps) {
      if (!(step.element() instanceof CheckedPattern.Stage s)
          || step.link().negated()
          || s.until().isPresent()) {
        return Optional.empty();
      }
    }
    CheckedPattern.Step last = steps.get(steps.size() - 1);
    CheckedPattern.Stage finalStage = (CheckedPattern.Stage) last.element();
    CheckedPattern.Stage before = (CheckedPattern.Stage) steps.get(steps.size() - 2).element();
    Quantifier.Kind beforeKind = before.quantifier().kind();
    if (finalStage.quantifier().kind() != Quantifier.Kind.ONE
        || last.link() == Link.START
        || (beforeKind != Quantifier.Kind.ONE && beforeKind != Quantifier.Kind.TIMES)) {
      return Optional.empty();
    }
    boolean singleFirst = steps.size() == 2 && beforeKind == Quantifier.Kind.ONE;
    boolean pastLast = rule.skip().kind() == Skip.Kind.PAST_LAST_EVENT;
    if (pastLast && (!singleFirst || last.link() == Link.FOLLOWED_BY_ANY)) {
      // A longer prefix would hold partial matches that one member's match prunes and another's
      // does not; `then any` completes one waiting stage more than once, and which of those
      // completions Flink's queue releases first is not defined by their order.
      return Optional.empty();
    }
    Sequence prefix =
        new Sequence(written.get().steps().subList(0, steps.size() - 1), written.get().span());
    StringBuilder fingerprint = new StringBuilder("family | partition by ");
    rule.partitionBy().forEach(k -> fingerprint.append(k.path()).append(' '));
    rule.declaration().from().ifPresent(f -> fingerprint.append("| from ").append(f.text()));
    if (singleFirst) {
      // Members may differ in the first stage's condition: it is not part of the fingerprint.
      fingerprint.append(" | first ").append(before.name()).append(" once");
    } else {
      fingerprint.append(" | prefix ").append(RulePrinter.sequence(prefix));
    }
    for (CheckedPattern.Stage s : rule.pattern().stages()) {
      fingerprint.append(" | ").append(s.name()).append(" of ").append(s.stream().name());
    }
    fingerprint
        .append(" | final ")
        .append(last.link())
        .append(' ')
        .append(finalStage.name())
        .append(" | skip ")
        .append(pastLast ? "past last event" : "none")
        .append(" | alert ")
        .append(rule.alert().isPresent())
        .append(" | schemas ")
        .append(rule.streams());
    CheckedPattern prefixPattern = new CheckedPattern(steps.subList(0, steps.size() - 1));
    return Optional.of(
        new FinalStageFamily(
            fingerprint.toString(),
            finalStage.name(),
            last.link(),
            builder.condition(finalStage.name()),
            builder.eventGuard(finalStage, failures),
            builder.matchConjuncts(finalStage, failures),
            singleFirst
                ? Optional.of(new FirstStage(before.name(), builder.condition(before.name())))
                : Optional.empty(),
            pastLast,
            rule.within().get(),
            window ->
                builder.build(
                    prefixPattern,
                    AfterMatchSkipStrategy.noSkip(),
                    Optional.of(window),
                    rule.maxGap())));
  }
}
