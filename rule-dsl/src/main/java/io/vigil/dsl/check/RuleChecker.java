package io.vigil.dsl.check;

import io.vigil.dsl.ast.DurationLiteral;
import io.vigil.dsl.ast.Element;
import io.vigil.dsl.ast.Modifier;
import io.vigil.dsl.ast.Name;
import io.vigil.dsl.ast.RuleDecl;
import io.vigil.dsl.ast.Sequence;
import io.vigil.dsl.ast.Template;
import io.vigil.dsl.check.CheckedPattern.InnerContiguity;
import io.vigil.dsl.check.ExprChecker.Scope;
import io.vigil.dsl.check.ExprChecker.StageInfo;
import io.vigil.dsl.limits.Limits;
import io.vigil.dsl.schema.StreamSchema;
import java.util.ArrayList;
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
    keys.addAll(new PartitionKeys(rule, report).check(readStreams.values()));
    new PatternShapeCheck(rule, report, allStageNames, negatedStages).check(sequence);

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
                      PatternShapeCheck.greedy(stage),
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
                    body,
                    group.quantifier(),
                    PatternShapeCheck.greedy(group),
                    inner(group),
                    group.span())));
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
}
