package io.vigil.dsl.check;

import io.vigil.dsl.ast.DurationLiteral;
import io.vigil.dsl.ast.Element;
import io.vigil.dsl.ast.FieldPath;
import io.vigil.dsl.ast.Modifier;
import io.vigil.dsl.ast.Name;
import io.vigil.dsl.ast.Quantifier;
import io.vigil.dsl.ast.RuleDecl;
import io.vigil.dsl.ast.Sequence;
import io.vigil.dsl.ast.Sequence.Link;
import io.vigil.dsl.ast.Span;
import io.vigil.dsl.ast.Template;
import io.vigil.dsl.check.CheckedPattern.InnerContiguity;
import io.vigil.dsl.check.ExprChecker.Scope;
import io.vigil.dsl.check.ExprChecker.StageInfo;
import io.vigil.dsl.limits.Limits;
import io.vigil.dsl.schema.StreamSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks one rule: names, types, and the structural limits Flink CEP enforces when a pattern is
 * compiled, so that they are reported at the DSL position instead of as a {@code
 * MalformedPatternException} when the rule is deployed.
 */
final class RuleChecker {

  private final RuleDecl rule;
  private final Map<String, StreamSchema> streams;
  private final Reporter report;
  private final ExprChecker exprs;

  /** Every stage of the rule in order, once resolved. */
  private final Map<String, StageInfo> allStages = new LinkedHashMap<>();

  private final Set<String> negatedStages = new LinkedHashSet<>();
  private final Set<String> allStageNames = new LinkedHashSet<>();
  private final LinkedHashMap<String, StreamSchema> readStreams = new LinkedHashMap<>();
  private final List<PartitionKey> keys = new ArrayList<>();
  private Optional<StreamSchema> from = Optional.empty();

  private final Limits limits;

  RuleChecker(RuleDecl rule, Map<String, StreamSchema> streams, Limits limits, Reporter report) {
    this.rule = rule;
    this.streams = streams;
    this.limits = limits;
    this.report = report;
    this.exprs = new ExprChecker(report, limits.regexSize());
  }

  Optional<CheckedRule> check() {
    if (!new PatternLimits(rule, limits, report).check()) {
      // Some checks below grow faster than the pattern: none runs on a pattern beyond the limits.
      return Optional.empty();
    }
    RuleMetadata metadata = metadata();
    rule.from().ifPresent(f -> from = stream(f));
    if (rule.pattern().isEmpty()) {
      report.error(
          rule.name().span(),
          "rule `" + rule.name().text() + "` has no pattern",
          "add `pattern` followed by stages, e.g. `pattern a: amount > 100 then b: amount > 1000`");
      return Optional.empty();
    }
    Sequence sequence = rule.pattern().get();
    collectNames(sequence);
    int before = report.diagnostics().size();
    resolveStreams(sequence);
    if (rule.from().isPresent() && from.isEmpty() || report.diagnostics().size() > before) {
      // Without a stream per stage nothing below can be typed.
      return Optional.empty();
    }
    partitionKeys();
    structure(sequence, true, false);
    windowAndSkip(sequence);

    Map<String, StageInfo> visible = new LinkedHashMap<>();
    CheckedPattern pattern = pattern(sequence, false, visible);
    Scope matchScope =
        new Scope(Optional.empty(), positiveStages(), keys, Set.of(), "having condition");
    Optional<TypedExpr> having = rule.having().flatMap(h -> exprs.condition(h, matchScope));
    Optional<CheckedTemplate> alert =
        rule.alert().map(t -> template(t, withWhere(matchScope, "alert message")));
    Optional<CheckedTemplate> timeoutAlert =
        rule.timeoutAlert().map(t -> template(t, withWhere(matchScope, "timeout alert message")));
    if (rule.alert().isEmpty() && rule.timeoutAlert().isEmpty()) {
      report.error(
          rule.name().span(),
          "rule `" + rule.name().text() + "` raises no alert",
          "add `alert \"...\"` (on a match) or `on timeout alert \"...\"` (on a timed-out partial match)");
    }
    if (report.hasErrors()) {
      return Optional.empty();
    }
    return Optional.of(
        new CheckedRule(
            rule.name().text(),
            rule,
            metadata,
            keys,
            List.copyOf(readStreams.values()),
            pattern,
            rule.within().map(DurationLiteral::value),
            rule.maxGap().map(DurationLiteral::value),
            rule.skip()
                .map(s -> new SkipStrategy(s.kind(), s.stage().map(Name::text)))
                .orElse(SkipStrategy.noSkip()),
            having,
            alert,
            timeoutAlert));
  }

  private static Scope withWhere(Scope scope, String where) {
    return new Scope(scope.current(), scope.stages(), scope.keys(), scope.laterStages(), where);
  }

  // ---------------------------------------------------------------------------- metadata

  private RuleMetadata metadata() {
    Severity severity = Severity.MEDIUM;
    if (rule.severity().isPresent()) {
      Name s = rule.severity().get();
      Optional<Severity> parsed = Severity.ofKeyword(s.text());
      if (parsed.isEmpty()) {
        List<String> names =
            java.util.Arrays.stream(Severity.values()).map(Severity::keyword).toList();
        report.error(
            s.span(),
            "unknown severity `" + s.text() + "`",
            Suggestions.didYouMean(s.text(), names, "use one of " + String.join(", ", names)));
      } else {
        severity = parsed.get();
      }
    }
    return new RuleMetadata(
        rule.title().map(RuleDecl.StringLiteral::value).orElse(rule.name().text()),
        severity,
        rule.tags().stream().map(Name::text).distinct().toList(),
        rule.owner().map(Name::text));
  }

  private Optional<StreamSchema> stream(Name name) {
    StreamSchema schema = streams.get(name.text());
    if (schema == null) {
      report.error(
          name.span(),
          "unknown stream `" + name.text() + "`",
          Suggestions.didYouMean(
              name.text(),
              streams.keySet(),
              streams.isEmpty()
                  ? "declare it with `stream "
                      + name.text()
                      + " ...` (in any file checked together)"
                  : "declared streams: " + String.join(", ", streams.keySet())));
      return Optional.empty();
    }
    return Optional.of(schema);
  }

  // ---------------------------------------------------------------------------- stages

  private void collectNames(Sequence sequence) {
    for (Sequence.Step step : sequence.steps()) {
      if (step.element() instanceof Element.Stage stage) {
        String name = stage.name().text();
        if (!allStageNames.add(name)) {
          report.error(
              stage.name().span(),
              "stage `" + name + "` is defined twice",
              "give every stage of a rule its own name");
        }
        if (step.link().negated()) {
          negatedStages.add(name);
        }
      } else if (step.element() instanceof Element.Group group) {
        collectNames(group.body());
      }
    }
  }

  private void resolveStreams(Sequence sequence) {
    for (Sequence.Step step : sequence.steps()) {
      if (step.element() instanceof Element.Stage stage) {
        Optional<StreamSchema> schema;
        if (stage.stream().isPresent()) {
          schema = stream(stage.stream().get());
        } else if (rule.from().isPresent()) {
          schema = from;
        } else {
          report.error(
              stage.name().span(),
              "stage `" + stage.name().text() + "` does not say which stream it reads",
              "write `"
                  + stage.name().text()
                  + ": STREAM(condition)`, or add `from STREAM` to the rule");
          schema = Optional.empty();
        }
        schema.ifPresent(s -> readStreams.putIfAbsent(s.name(), s));
      } else if (step.element() instanceof Element.Group group) {
        resolveStreams(group.body());
      }
    }
  }

  private StreamSchema streamOf(Element.Stage stage) {
    return stage.stream().map(n -> streams.get(n.text())).orElseGet(() -> from.orElseThrow());
  }

  private void partitionKeys() {
    if (rule.partitionBy().isEmpty()) {
      report.error(
          rule.name().span(),
          "rule `" + rule.name().text() + "` has no `partition by`",
          "a rule matches per key, e.g. `partition by cardId`; every stream it reads must carry the key");
      return;
    }
    Set<String> seen = new LinkedHashSet<>();
    for (FieldPath path : rule.partitionBy()) {
      if (!seen.add(path.dotted())) {
        report.error(path.span(), "`" + path.dotted() + "` is named twice in `partition by`", "");
        continue;
      }
      Map<String, Integer> indexes = new HashMap<>();
      io.vigil.dsl.schema.Type type = null;
      boolean ok = true;
      for (StreamSchema s : readStreams.values()) {
        Optional<StreamSchema.Field> f = s.field(path.dotted());
        if (f.isEmpty()) {
          report.error(
              path.span(),
              "stream `" + s.name() + "` has no field `" + path.dotted() + "` to partition by",
              Suggestions.didYouMean(
                  path.dotted(),
                  s.fields().stream().map(StreamSchema.Field::path).toList(),
                  "every stream a rule reads must carry its partition key"));
          ok = false;
          continue;
        }
        if (type != null && f.get().type() != type) {
          report.error(
              path.span(),
              "`"
                  + path.dotted()
                  + "` is a "
                  + type.keyword()
                  + " in one stream and a "
                  + f.get().type().keyword()
                  + " in `"
                  + s.name()
                  + "`",
              "a partition key must have the same type in every stream the rule reads");
          ok = false;
        }
        type = f.get().type();
        indexes.put(s.name(), f.get().index());
      }
      if (ok && type != null) {
        keys.add(new PartitionKey(path.dotted(), type, indexes));
      }
    }
  }

  // ---------------------------------------------------------------------------- structure

  /**
   * Flink's own limits on pattern shape, checked where the analyst wrote them. The messages follow
   * Flink's wording so that people who know Flink recognise them.
   */
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

  private static boolean greedy(Element e) {
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

  // ---------------------------------------------------------------------------- typed pattern

  private CheckedPattern pattern(
      Sequence sequence, boolean inLoop, Map<String, StageInfo> visible) {
    List<CheckedPattern.Step> steps = new ArrayList<>();
    for (Sequence.Step step : sequence.steps()) {
      Element element = step.element();
      boolean looping = inLoop || element.quantifier().looping();
      if (element instanceof Element.Stage stage) {
        String name = stage.name().text();
        StreamSchema schema = streamOf(stage);
        StageInfo self = new StageInfo(name, schema, looping);
        allStages.put(name, self);
        Map<String, StageInfo> scopeStages = new LinkedHashMap<>(visible);
        if (looping && !step.link().negated()) {
          scopeStages.put(name, self);
        }
        Set<String> later = new LinkedHashSet<>(allStageNames);
        later.removeAll(scopeStages.keySet());
        Scope scope =
            new Scope(
                Optional.of(schema), scopeStages, keys, later, "condition of stage `" + name + "`");
        Optional<TypedExpr> condition = exprs.condition(stage.condition(), scope);
        Optional<TypedExpr> until = Optional.empty();
        for (Modifier m : stage.modifiers()) {
          if (m instanceof Modifier.Until u) {
            until = exprs.condition(u.condition(), withWhere(scope, "`until` condition"));
          }
        }
        if (!step.link().negated()) {
          visible.put(name, self);
        }
        if (condition.isPresent()) {
          steps.add(
              new CheckedPattern.Step(
                  step.link(),
                  new CheckedPattern.Stage(
                      name,
                      schema,
                      condition.get(),
                      stage.quantifier(),
                      greedy(stage),
                      inner(stage),
                      until,
                      looping,
                      stage.span())));
        }
      } else {
        Element.Group group = (Element.Group) element;
        CheckedPattern body = pattern(group.body(), looping, visible);
        steps.add(
            new CheckedPattern.Step(
                step.link(),
                new CheckedPattern.Group(
                    body, group.quantifier(), greedy(group), inner(group), group.span())));
      }
    }
    return new CheckedPattern(steps);
  }

  private static InnerContiguity inner(Element e) {
    for (Modifier m : e.modifiers()) {
      if (m instanceof Modifier.Consecutive) {
        return InnerContiguity.STRICT;
      }
      if (m instanceof Modifier.AnyCombination) {
        return InnerContiguity.NON_DETERMINISTIC;
      }
    }
    return InnerContiguity.RELAXED;
  }

  private Map<String, StageInfo> positiveStages() {
    Map<String, StageInfo> out = new LinkedHashMap<>(allStages);
    negatedStages.forEach(out::remove);
    return out;
  }

  private CheckedTemplate template(Template template, Scope scope) {
    List<CheckedTemplate.Part> parts = new ArrayList<>();
    for (Template.Part part : template.parts()) {
      if (part instanceof Template.Text t) {
        parts.add(new CheckedTemplate.Text(t.text()));
      } else {
        Template.Hole hole = (Template.Hole) part;
        exprs
            .check(hole.expr(), scope)
            .ifPresent(e -> parts.add(new CheckedTemplate.Hole(hole.source(), e)));
      }
    }
    return new CheckedTemplate(template.raw(), parts);
  }

  private static String describe(Template.Hole hole) {
    return hole.expr().toString();
  }
}
