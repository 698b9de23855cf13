package io.vigil.compiler.rule;

import io.vigil.compiler.event.Event;
import io.vigil.compiler.pattern.PatternBuilder;
import io.vigil.compiler.pattern.StageRequirements;
import io.vigil.dsl.ast.Element;
import io.vigil.dsl.ast.Expr;
import io.vigil.dsl.ast.Quantifier;
import io.vigil.dsl.ast.RuleDecl.Skip;
import io.vigil.dsl.ast.Sequence;
import io.vigil.dsl.ast.Sequence.Link;
import io.vigil.dsl.check.CheckedPattern;
import io.vigil.dsl.check.CheckedPattern.InnerContiguity;
import io.vigil.dsl.check.CheckedRule;
import io.vigil.dsl.syntax.RulePrinter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;

/**
 * A rule whose matches are those of one pattern in which one stage takes every event that passes
 * any of several conditions, each match kept when every event of that stage passes the rule's own
 * condition; rules with equal {@link #fingerprint} differ at most in that stage's condition (and in
 * {@code having}, alerts and metadata), so a runtime may run the pattern once, with the stage
 * taking what any of them takes, and hand each match to the rules whose condition passes its events
 * of the stage (a {@code {2} consecutive} threshold per device class, say).
 *
 * <p>That is exactly what each rule's own NFA does when the stage's condition enters Flink's NFA
 * only as the condition of its TAKE edges: then the paths of a rule's NFA are those of the shared
 * NFA whose events of the stage pass the rule's condition, and with {@code skip none} each path is
 * one match, pruned by nothing. Flink also uses a stage's condition negated — as the IGNORE edge of
 * relaxed contiguity into the stage ({@code then}) or between its iterations (a loop without {@code
 * consecutive}), and as the PROCEED edge of a {@code greedy} loop — where a looser condition would
 * change what the shared NFA ignores. So only these shapes qualify ({@link #of}):
 *
 * <ul>
 *   <li>the stage starts the pattern or follows by {@code next} or {@code then any} (whose IGNORE
 *       edge is unconditional); it is taken at least once (no {@code ?}, no zero minimum); a loop
 *       is {@code consecutive} or {@code any combination}, not {@code greedy}, without {@code
 *       until}; its condition reads only its event (no other stage's);
 *   <li>every element is a stage (no group), {@code skip none} (or {@code skip past last event},
 *       below), a {@code within} window, no {@code max gap}, no {@code on timeout alert}; other
 *       stages, negations included, are as written.
 * </ul>
 *
 * <p>With {@code skip past last event} a rule's NFA emits, of the matches an event completes, the
 * one that began first, drops the others and every partial match that began by that event, and
 * holds a match back while an earlier partial match may still complete. For the shape {@code s: …
 * next f: …}, where {@code s} starts the pattern, is taken once or loops {@code consecutive}, and
 * {@code f} is taken once and passes no event {@code s} passes ({@link #passNothingInCommon}), that
 * comes down to the first match of each event: when {@code f} completes a match, every partial
 * match of the rule is in the same unbroken run of {@code s} events, so each either completes on
 * the same event or ends there ({@code f}'s event is no {@code s} event, and nothing may come
 * between); no partial match is left to drop or to wait for. So a family of that shape runs the
 * shared NFA without skipping, and each member takes, of the matches of one event, only the first
 * it takes ({@link #firstMatchOnly}).
 *
 * <p>Without negation the members may also differ in their {@code within}: the window enters
 * Flink's NFA only to drop a partial match before an event (or at a watermark) a window or more
 * after its first event, so the matches a member's NFA gives are those of the shared NFA run with
 * the longest of the members' windows whose last event is less than the member's window after the
 * first ({@link #window}). A negation makes the window part of what a match is (a trailing {@code
 * then not} completes when the window passes without the event), so rules with one share their
 * window.
 *
 * @param fingerprint equal for rules that may share the pattern: streams and schemas, key, the
 *     pattern as written but for the stage's condition, skip and alert kinds, and the window when
 *     the pattern has a negation
 * @param stage the stage whose condition the members may differ in
 * @param condition the rule's condition of that stage (it reads only its event)
 * @param startStage whether the stage starts the pattern (its condition then decides which events
 *     may start a match)
 * @param window the rule's {@code within}
 * @param patternWith the rule's pattern with the stage's condition and window replaced by the given
 *     ones
 * @param firstMatchOnly whether the rule takes only the first of the matches one event completes
 *     ({@code skip past last event}, see above); the shared pattern skips nothing
 */
public record ConditionFamily(
    String fingerprint,
    String stage,
    IterativeCondition<Event> condition,
    boolean startStage,
    Duration window,
    BiFunction<IterativeCondition<Event>, Duration, Pattern<Event, Event>> patternWith,
    boolean firstMatchOnly) {

  /**
   * The shared pattern: the members' pattern whose stage takes what any member's takes, within the
   * longest of their windows ({@link #window(List)}).
   */
  public Pattern<Event, Event> pattern(MemberConditions members, Duration window) {
    return patternWith.apply(members, window);
  }

  /** The longest of the members' windows: the shared pattern's. */
  public static Duration window(List<ConditionFamily> members) {
    return FamilyWindow.longest(members.stream().map(ConditionFamily::window).toList());
  }

  /** The members' conditions of the stage, in member order, as one ({@link MemberConditions}). */
  public static MemberConditions memberConditions(List<ConditionFamily> members) {
    List<IterativeCondition<Event>> conditions = new ArrayList<>();
    for (ConditionFamily member : members) {
      conditions.add(member.condition());
    }
    return new MemberConditions(conditions);
  }

  /** The family of {@code rule}, if its shape qualifies (see the class comment). */
  static Optional<ConditionFamily> of(CheckedRule rule, PatternBuilder builder) {
    List<CheckedPattern.Step> steps = rule.pattern().steps();
    Optional<Sequence> written = rule.declaration().pattern();
    if (written.isEmpty()
        || written.get().steps().size() != steps.size()
        || rule.maxGap().isPresent()
        || rule.within().isEmpty()
        || rule.timeoutAlert().isPresent()) {
      return Optional.empty();
    }
    Skip.Kind skip = rule.skip().kind();
    if (skip != Skip.Kind.NONE && skip != Skip.Kind.PAST_LAST_EVENT) {
      return Optional.empty();
    }
    int shared = -1;
    boolean negated = false;
    for (int i = 0; i < steps.size(); i++) {
      CheckedPattern.Step step = steps.get(i);
      if (!(step.element() instanceof CheckedPattern.Stage stage)) {
        return Optional.empty();
      }
      negated |= step.link().negated();
      if (shared < 0 && qualifies(step.link(), stage, builder)) {
        shared = i;
      }
    }
    boolean firstMatchOnly = skip == Skip.Kind.PAST_LAST_EVENT;
    if (shared < 0 || (firstMatchOnly && !(shared == 0 && endsAtOnce(steps, builder)))) {
      return Optional.empty();
    }
    CheckedPattern.Stage stage = (CheckedPattern.Stage) steps.get(shared).element();
    List<Sequence.Step> blanked = new ArrayList<>(written.get().steps());
    Sequence.Step step = blanked.get(shared);
    Element.Stage s = (Element.Stage) step.element();
    blanked.set(
        shared,
        new Sequence.Step(
            step.link(),
            step.linkSpan(),
            new Element.Stage(
                s.name(),
                s.stream(),
                new Expr.BoolLit(true, s.condition().span()),
                s.quantifier(),
                s.modifiers(),
                s.span())));
    StringBuilder fingerprint = new StringBuilder("condition family | partition by ");
    rule.partitionBy().forEach(k -> fingerprint.append(k.path()).append(' '));
    rule.declaration().from().ifPresent(f -> fingerprint.append("| from ").append(f.text()));
    fingerprint
        .append(" | stage ")
        .append(stage.name())
        .append(" | pattern ")
        .append(RulePrinter.sequence(new Sequence(blanked, written.get().span())));
    for (CheckedPattern.Stage each : rule.pattern().stages()) {
      fingerprint.append(" | ").append(each.name()).append(" of ").append(each.stream().name());
    }
    if (negated) {
      // Members with a negation share their window (see the class comment).
      fingerprint.append(" | within ").append(rule.within().get().toMillis());
    }
    fingerprint
        .append(" | skip ")
        .append(skip)
        .append(" | alert ")
        .append(rule.alert().isPresent())
        .append(" | schemas ")
        .append(rule.streams());
    String name = stage.name();
    CheckedPattern pattern = rule.pattern();
    return Optional.of(
        new ConditionFamily(
            fingerprint.toString(),
            name,
            builder.condition(name),
            shared == 0,
            rule.within().get(),
            (condition, window) ->
                builder
                    .withCondition(name, condition)
                    .build(
                        pattern,
                        AfterMatchSkipStrategy.noSkip(),
                        Optional.of(window),
                        rule.maxGap()),
            firstMatchOnly));
  }

  /**
   * Whether the pattern is {@code s: … next f: …} with {@code s} taken once or looping {@code
   * consecutive}, {@code f} taken once, and the two passing no event in common: then a partial
   * match never outlives an event that completes a match (see the class comment).
   */
  private static boolean endsAtOnce(List<CheckedPattern.Step> steps, PatternBuilder builder) {
    if (steps.size() != 2
        || steps.get(1).link() != Link.NEXT
        || !(steps.get(0).element() instanceof CheckedPattern.Stage first)
        || !(steps.get(1).element() instanceof CheckedPattern.Stage last)) {
      return false;
    }
    boolean unbroken =
        first.quantifier().kind() == Quantifier.Kind.ONE || first.inner() == InnerContiguity.STRICT;
    boolean once = last.quantifier().kind() == Quantifier.Kind.ONE && !last.quantifier().optional();
    return unbroken
        && once
        && passNothingInCommon(builder.condition(first.name()), builder.condition(last.name()));
  }

  /**
   * Whether no event passes both conditions, as far as their requirements show: they take events of
   * different streams, or are led by bounds of one field that exclude each other ({@code vibration
   * > 4.0 …} and {@code vibration < 1.0 …}).
   */
  static boolean passNothingInCommon(IterativeCondition<Event> a, IterativeCondition<Event> b) {
    if (!(a instanceof StageRequirements ra) || !(b instanceof StageRequirements rb)) {
      return false;
    }
    if (!ra.stream().equals(rb.stream())) {
      return true;
    }
    return ra.leadingBound().isPresent()
        && rb.leadingBound().isPresent()
        && ra.leadingBound().get().excludes(rb.leadingBound().get());
  }

  /** Whether the stage's condition enters the NFA only as the condition of TAKE edges. */
  private static boolean qualifies(Link link, CheckedPattern.Stage stage, PatternBuilder builder) {
    Quantifier.Kind kind = stage.quantifier().kind();
    boolean entered = link == Link.START || link == Link.NEXT || link == Link.FOLLOWED_BY_ANY;
    boolean taken =
        kind != Quantifier.Kind.OPTIONAL
            && kind != Quantifier.Kind.ZERO_OR_MORE
            && !stage.quantifier().optional();
    boolean inner = kind == Quantifier.Kind.ONE || stage.inner() != InnerContiguity.RELAXED;
    return entered
        && taken
        && inner
        && !stage.greedy()
        && stage.until().isEmpty()
        && builder.readsOnlyItsEvent(stage.name());
  }
}
