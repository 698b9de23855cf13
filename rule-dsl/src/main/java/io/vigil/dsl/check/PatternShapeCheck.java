package io.vigil.dsl.check;

import io.vigil.dsl.ast.DurationLiteral;
import io.vigil.dsl.ast.Element;
import io.vigil.dsl.ast.Modifier;
import io.vigil.dsl.ast.Name;
import io.vigil.dsl.ast.Quantifier;
import io.vigil.dsl.ast.RuleDecl;
import io.vigil.dsl.ast.Sequence;
import io.vigil.dsl.ast.Sequence.Link;
import io.vigil.dsl.diagnostic.Span;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Flink's own limits on pattern shape, checked where the analyst wrote them. The messages follow
 * Flink's wording so that people who know Flink recognise them.
 */
final class PatternShapeCheck {
  private final RuleDecl rule;
  private final Reporter report;
  private final Set<String> allStageNames;
  private final Set<String> negatedStages;

  PatternShapeCheck(
      RuleDecl rule, Reporter report, Set<String> allStageNames, Set<String> negatedStages) {
    this.rule = rule;
    this.report = report;
    this.allStageNames = allStageNames;
    this.negatedStages = negatedStages;
  }

  /** Reports every shape Flink would refuse, and windows and skips that cannot work. */
  void check(Sequence sequence) {
    structure(sequence, true, false);
    windowAndSkip(sequence);
  }

  private void structure(Sequence sequence, boolean topLevel, boolean inLoop) {
    List<Sequence.Step> steps = sequence.steps();
    for (int i = 0; i < steps.size(); i++) {
      Sequence.Step step = steps.get(i);
      Element element = step.element();
      boolean last = i == steps.size() - 1;
      quantifier(element);
      modifiers(element);
      if (i > 0 && element.quantifier().optional() && greedy(steps.get(i - 1).element())) {
        report.error(
            element.quantifier().span().orElse(element.span()),
            "an optional stage cannot follow a `greedy` one (Flink: \"Optional pattern cannot be"
                + " preceded by greedy pattern\")",
            "drop `greedy` from the stage before, or make this stage mandatory");
      }
      if (step.link().negated()) {
        negation(
            step,
            i == 0 ? Optional.empty() : Optional.of(steps.get(i - 1).element()),
            last,
            topLevel);
      } else if (i == 0
          && topLevel
          && element instanceof Element.Stage s
          && negatedStages.contains(s.name().text())) {
        report.error(s.span(), "a pattern cannot start with a negated stage", "");
      }
      if (last && topLevel && greedy(element)) {
        report.error(
            modifierSpan(element, Modifier.Greedy.class),
            "`greedy` is not allowed on the last stage of a pattern (Flink: \"Greedy quantifiers are"
                + " not allowed as the last element of a Pattern yet\")",
            "end the pattern with a stage without `greedy`, or drop `greedy`");
      }
      if (element instanceof Element.Group group) {
        if (group.body().steps().get(0).link().negated()) {
          report.error(group.span(), "a group cannot start with a negated stage", "");
        }
        structure(group.body(), false, inLoop || group.quantifier().looping());
        if (last && topLevel) {
          List<Sequence.Step> inner = group.body().steps();
          Element innerLast = inner.get(inner.size() - 1).element();
          if (greedy(innerLast) && !group.quantifier().looping()) {
            report.error(
                modifierSpan(innerLast, Modifier.Greedy.class),
                "`greedy` is not allowed on the last stage of a pattern",
                "drop `greedy`");
          }
        }
      }
    }
  }

  private void negation(
      Sequence.Step step, Optional<Element> previous, boolean last, boolean topLevel) {
    Element element = step.element();
    String how = step.link() == Link.NOT_NEXT ? "not next" : "not then";
    if (previous.isEmpty()) {
      report.error(
          step.linkSpan(),
          "a pattern cannot start with `" + how + "`",
          "begin with the event that must happen, then say what must not follow");
      return;
    }
    if (element instanceof Element.Group) {
      report.error(
          element.span(),
          "`" + how + "` takes a single stage, not a group",
          "negate one stage: `" + how + " x: condition`");
      return;
    }
    if (element.quantifier().kind() != Quantifier.Kind.ONE || !element.modifiers().isEmpty()) {
      report.error(
          element.quantifier().span().orElse(element.span()),
          "a negated stage stands for one event and takes no quantifier or modifier",
          "remove `" + element.quantifier().text() + "` from the negated stage");
    }
    if (previous.get().quantifier().optional()) {
      report.error(
          step.linkSpan(),
          "`"
              + how
              + "` cannot follow an optional stage (Flink: \"Specifying a pattern with an"
              + " optional path to NOT condition is not supported yet\")",
          "write two rules, one with and one without the optional stage");
    }
    if (step.link() == Link.NOT_FOLLOWED_BY && last) {
      if (!topLevel) {
        report.error(
            step.linkSpan(),
            "`not then` cannot end a group",
            "move the negated stage after the group");
      } else if (rule.within().isEmpty()) {
        report.error(
            step.linkSpan(),
            "`not then` at the end of a pattern needs `within` (Flink: \"NotFollowedBy is not"
                + " supported without windowTime as a last part of a Pattern\")",
            "add e.g. `within 15m`: the rule fires when nothing matching arrived in that time");
      }
    }
  }

  private void quantifier(Element element) {
    Quantifier q = element.quantifier();
    Span span = q.span().orElse(element.span());
    switch (q.kind()) {
      case TIMES -> {
        if (q.min() < 1) {
          report.error(
              span, "`{0}` takes no event", "remove the stage, or write `?` for an optional one");
        }
      }
      case RANGE -> {
        if (q.min() < 1) {
          report.error(
              span,
              "a range starts at 1",
              "write `{1," + q.max().getAsInt() + "}`; for zero events add a separate rule");
        } else if (q.min() > q.max().getAsInt()) {
          report.error(
              span,
              "the range `" + q.text() + "` is empty",
              "write the smaller bound first: `{" + q.max().getAsInt() + "," + q.min() + "}`");
        }
      }
      case AT_LEAST -> {
        if (q.min() < 1) {
          report.error(
              span, "`{0,}` is written `*`", "write `*` (zero or more) or `+` (one or more)");
        }
      }
      default -> {}
    }
    if (q.unbounded() && rule.within().isEmpty() && rule.maxGap().isEmpty()) {
      report.error(
          span,
          "the loop `"
              + q.text()
              + "` is unbounded and the rule has no `within`: partial matches"
              + " would be kept forever",
          "add e.g. `within 10m` (first to last event) or `max gap 1m` (between events)");
    }
  }

  private void modifiers(Element element) {
    Set<Class<?>> seen = new LinkedHashSet<>();
    boolean looping = element.quantifier().looping();
    for (Modifier m : element.modifiers()) {
      String word = modifierWord(m);
      if (!seen.add(m.getClass())) {
        report.error(m.span(), "`" + word + "` is given twice", "");
        continue;
      }
      if (!looping) {
        report.error(
            m.span(),
            "`" + word + "` needs a stage that takes several events",
            "add a quantifier before it, e.g. `{3,} " + word + "`");
        continue;
      }
      if (m instanceof Modifier.Greedy && element instanceof Element.Group) {
        report.error(
            m.span(),
            "`greedy` applies to a stage, not to a group (Flink: \"Option not applicable to group"
                + " pattern\")",
            "put `greedy` on a looping stage inside the group");
      }
      if (m instanceof Modifier.Until && element instanceof Element.Group) {
        report.error(m.span(), "`until` applies to a stage, not to a group", "");
      }
      if (m instanceof Modifier.Until && !element.quantifier().unbounded()) {
        report.error(
            m.span(),
            "`until` needs an open-ended loop (`+`, `*` or `{n,}`), not `"
                + element.quantifier().text()
                + "`",
            "a bounded loop already stops by itself");
      }
    }
    if (seen.contains(Modifier.Consecutive.class) && seen.contains(Modifier.AnyCombination.class)) {
      report.error(
          element.span(),
          "`consecutive` and `any combination` contradict each other",
          "keep one: `consecutive` (no other event in between) or `any combination` (every subset)");
    }
  }

  private static String modifierWord(Modifier m) {
    if (m instanceof Modifier.Greedy) {
      return "greedy";
    } else if (m instanceof Modifier.Consecutive) {
      return "consecutive";
    } else if (m instanceof Modifier.AnyCombination) {
      return "any combination";
    }
    return "until";
  }

  static boolean greedy(Element e) {
    return e.modifiers().stream().anyMatch(m -> m instanceof Modifier.Greedy);
  }

  private static Span modifierSpan(Element e, Class<? extends Modifier> type) {
    return e.modifiers().stream()
        .filter(type::isInstance)
        .findFirst()
        .map(Modifier::span)
        .orElse(e.span());
  }

  private void windowAndSkip(Sequence sequence) {
    rule.within().ifPresent(w -> positive(w, "within"));
    rule.maxGap().ifPresent(w -> positive(w, "max gap"));
    if (rule.within().isPresent()
        && rule.maxGap().isPresent()
        && rule.maxGap().get().value().compareTo(rule.within().get().value()) > 0) {
      report.error(
          rule.maxGap().get().span(),
          "`max gap "
              + rule.maxGap().get().text()
              + "` is longer than `within "
              + rule.within().get().text()
              + "` (Flink: \"The window length between the previous and"
              + " current event cannot be larger than the window length between the first and last"
              + " event\")",
          "a gap between two events can never exceed the whole match: shorten `max gap` or drop it");
    }
    if (rule.timeoutAlert().isPresent() && rule.within().isEmpty() && rule.maxGap().isEmpty()) {
      report.error(
          rule.timeoutAlert().get().span(),
          "`on timeout alert` needs `within` or `max gap`: without a window nothing times out",
          "add e.g. `within 2h`");
    }
    if (rule.skip().isEmpty()) {
      return;
    }
    RuleDecl.Skip skip = rule.skip().get();
    if (skip.stage().isEmpty()) {
      return;
    }
    Name stage = skip.stage().get();
    if (!allStageNames.contains(stage.text())) {
      report.error(
          stage.span(),
          "there is no stage `" + stage.text() + "` to skip to",
          Suggestions.didYouMean(
              stage.text(), allStageNames, "stages: " + String.join(", ", allStageNames)));
      return;
    }
    if (negatedStages.contains(stage.text())) {
      report.error(stage.span(), "cannot skip to a negated stage: it matches no event", "");
      return;
    }
    Element first = sequence.steps().get(0).element();
    if (first instanceof Element.Stage s && s.name().text().equals(stage.text())) {
      boolean sameEvent = skip.kind() == RuleDecl.Skip.Kind.TO_FIRST || s.quantifier().min() < 2;
      if (sameEvent) {
        report.error(
            stage.span(),
            "skipping to the first event of a match would find the same match again (Flink: \"Could"
                + " not skip to first element of a match\")",
            "skip to a later stage, or use `skip past last event`");
      }
    }
  }

  private void positive(DurationLiteral d, String clause) {
    if (d.value().isZero()) {
      report.error(
          d.span(), "`" + clause + " " + d.text() + "` is empty", "give a positive duration");
    }
  }
}
