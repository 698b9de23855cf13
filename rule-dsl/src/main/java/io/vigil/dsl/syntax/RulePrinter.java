package io.vigil.dsl.syntax;

import io.vigil.dsl.ast.DurationLiteral;
import io.vigil.dsl.ast.Element;
import io.vigil.dsl.ast.FieldPath;
import io.vigil.dsl.ast.Modifier;
import io.vigil.dsl.ast.Name;
import io.vigil.dsl.ast.RuleDecl;
import io.vigil.dsl.ast.Sequence;
import java.util.stream.Collectors;

/** Canonical text of the parts of a rule, independent of layout and comments. */
public final class RulePrinter {

  private RulePrinter() {}

  /**
   * What decides which events a rule matches and which alerts it can raise: every clause except
   * {@code title}, {@code severity}, {@code tags}, {@code owner} and the wording of its alert
   * templates (whether a rule alerts on matches and on timeouts does count). Two versions of a rule
   * with the same signature match the same events, so the runtime can keep their partial matches
   * across an update.
   */
  public static String matchingSignature(RuleDecl rule) {
    StringBuilder out = new StringBuilder("rule ").append(rule.name().text());
    out.append(" | partition by ")
        .append(
            rule.partitionBy().stream().map(FieldPath::dotted).collect(Collectors.joining(", ")));
    rule.from().ifPresent(f -> out.append(" | from ").append(f.text()));
    rule.pattern().ifPresent(p -> out.append(" | pattern ").append(sequence(p)));
    rule.within().ifPresent(d -> out.append(" | within ").append(duration(d)));
    rule.maxGap().ifPresent(d -> out.append(" | max gap ").append(duration(d)));
    rule.skip().ifPresent(s -> out.append(" | skip ").append(skip(s)));
    rule.having().ifPresent(h -> out.append(" | having ").append(ExprPrinter.print(h)));
    rule.alert().ifPresent(a -> out.append(" | alert"));
    rule.timeoutAlert().ifPresent(a -> out.append(" | on timeout alert"));
    return out.toString();
  }

  /** A pattern as DSL text on one line. */
  public static String sequence(Sequence sequence) {
    StringBuilder out = new StringBuilder();
    for (Sequence.Step step : sequence.steps()) {
      String link = link(step.link());
      if (!link.isEmpty()) {
        out.append(' ').append(link).append(' ');
      }
      out.append(element(step.element()));
    }
    return out.toString();
  }

  private static String element(Element element) {
    StringBuilder out = new StringBuilder();
    if (element instanceof Element.Stage stage) {
      out.append(stage.name().text()).append(": ");
      String condition = ExprPrinter.print(stage.condition());
      out.append(stage.stream().map(s -> s.text() + "(" + condition + ")").orElse(condition));
    } else {
      out.append('(').append(sequence(((Element.Group) element).body())).append(')');
    }
    String quantifier = element.quantifier().text();
    if (!quantifier.isEmpty()) {
      out.append(' ').append(quantifier);
    }
    for (Modifier m : element.modifiers()) {
      out.append(' ').append(modifier(m));
    }
    return out.toString();
  }

  private static String modifier(Modifier m) {
    if (m instanceof Modifier.Greedy) {
      return "greedy";
    } else if (m instanceof Modifier.Consecutive) {
      return "consecutive";
    } else if (m instanceof Modifier.AnyCombination) {
      return "any combination";
    }
    return "until (" + ExprPrinter.print(((Modifier.Until) m).condition()) + ")";
  }

  private static String link(Sequence.Link link) {
    return switch (link) {
      case START -> "";
      case FOLLOWED_BY -> "then";
      case NEXT -> "next";
      case FOLLOWED_BY_ANY -> "then any";
      case NOT_NEXT -> "not next";
      case NOT_FOLLOWED_BY -> "not then";
    };
  }

  private static String skip(RuleDecl.Skip skip) {
    return switch (skip.kind()) {
      case NONE -> "none";
      case TO_NEXT -> "to next";
      case PAST_LAST_EVENT -> "past last event";
      case TO_FIRST -> "to first " + skip.stage().map(Name::text).orElse("");
      case TO_LAST -> "to last " + skip.stage().map(Name::text).orElse("");
    };
  }

  // Durations compare by value: `60s` and `1m` are the same window.
  private static String duration(DurationLiteral d) {
    return d.value().toString();
  }
}
