package io.vigil.compiler.rule;

import io.vigil.compiler.event.Event;
import io.vigil.compiler.pattern.PatternBuilder;
import io.vigil.dsl.ast.Quantifier;
import io.vigil.dsl.ast.Sequence;
import io.vigil.dsl.ast.Sequence.Link;
import io.vigil.dsl.check.CheckedPattern;
import io.vigil.dsl.check.CheckedRule;
import io.vigil.dsl.syntax.RulePrinter;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
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
 *       timed), {@code skip none} (a match prunes nothing, so one rule's matches never change the
 *       partial matches it shares with the others), and no {@code on timeout alert}.
 * </ul>
 *
 * @param fingerprint equal for rules that may share their prefix: streams and schemas, key, the
 *     prefix as written, the final stage's name, stream and link, window, skip and alert kinds
 * @param stage the final stage's name
 * @param link how the final stage follows the prefix
 * @param condition the final stage's Flink condition (it may read the prefix's events)
 * @param prefix builds {@link #prefixPattern()}
 */
public record FinalStageFamily(
    String fingerprint,
    String stage,
    Link link,
    IterativeCondition<Event> condition,
    Supplier<Pattern<Event, Event>> prefix) {

  /**
   * A fresh Flink pattern of everything but the final stage, with the rule's window and skip
   * strategy (the conditions are the rule's own objects).
   */
  public Pattern<Event, Event> prefixPattern() {
    return prefix.get();
  }

  /** The split of {@code rule}, if its shape qualifies (see the class comment). */
  static Optional<FinalStageFamily> of(
      CheckedRule rule, PatternBuilder builder, AfterMatchSkipStrategy skip) {
    List<CheckedPattern.Step> steps = rule.pattern().steps();
    Optional<Sequence> written = rule.declaration().pattern();
    if (steps.size() < 2
        || written.isEmpty()
        || written.get().steps().size() != steps.size()
        || rule.maxGap().isPresent()
        || rule.within().isEmpty()
        || rule.skip().kind() != io.vigil.dsl.ast.RuleDecl.Skip.Kind.NONE
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
    Sequence prefix =
        new Sequence(written.get().steps().subList(0, steps.size() - 1), written.get().span());
    StringBuilder fingerprint = new StringBuilder("family | partition by ");
    rule.partitionBy().forEach(k -> fingerprint.append(k.path()).append(' '));
    rule.declaration().from().ifPresent(f -> fingerprint.append("| from ").append(f.text()));
    fingerprint.append(" | prefix ").append(RulePrinter.sequence(prefix));
    for (CheckedPattern.Stage s : rule.pattern().stages()) {
      fingerprint.append(" | ").append(s.name()).append(" of ").append(s.stream().name());
    }
    fingerprint
        .append(" | final ")
        .append(last.link())
        .append(' ')
        .append(finalStage.name())
        .append(" | within ")
        .append(rule.within().get().toMillis())
        .append(" | skip none | alert ")
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
            () -> builder.build(prefixPattern, skip, rule.within(), rule.maxGap())));
  }
}
