package io.vigil.dsl.check;

import io.vigil.dsl.ast.DurationLiteral;
import io.vigil.dsl.ast.Element;
import io.vigil.dsl.ast.Quantifier;
import io.vigil.dsl.ast.RuleDecl;
import io.vigil.dsl.ast.Sequence;
import io.vigil.dsl.diagnostic.Span;
import io.vigil.dsl.limits.Limits;

/**
 * The {@link Limits} of a rule's pattern and windows. Flink's NFA holds one state per repetition of
 * a stage (a group's repetitions copy its stages), and compiling it takes time that grows faster
 * than its size, so counts are bounded before the rule reaches the compiler.
 */
final class PatternLimits {

  private final RuleDecl rule;
  private final Limits limits;
  private final Reporter report;
  private int stages;
  private long expanded;
  private boolean countTooLarge;
  private boolean sizeReported;

  PatternLimits(RuleDecl rule, Limits limits, Reporter report) {
    this.rule = rule;
    this.limits = limits;
    this.report = report;
  }

  /** Reports every limit the rule exceeds; true when it exceeds none. */
  boolean check() {
    int before = report.diagnostics().size();
    rule.within().ifPresent(d -> window(d, "within"));
    rule.maxGap().ifPresent(d -> window(d, "max gap"));
    rule.pattern().ifPresent(p -> sequence(p, 1));
    return report.diagnostics().size() == before;
  }

  private void window(DurationLiteral d, String clause) {
    if (d.value().compareTo(limits.window()) > 0) {
      report.error(
          d.span(),
          "`"
              + clause
              + " "
              + d.text()
              + "` is longer than "
              + Limits.format(limits.window())
              + ", the limit `window`",
          "partial matches are kept for the whole window: use a shorter one");
    }
  }

  private void sequence(Sequence sequence, long multiplier) {
    for (Sequence.Step step : sequence.steps()) {
      Element element = step.element();
      Quantifier q = element.quantifier();
      Span span = q.span().orElse(element.span());
      long count = repetitions(q);
      if (count > limits.quantifier()) {
        countTooLarge = true;
        report.error(
            span,
            "`"
                + q.text()
                + "` counts more than "
                + limits.quantifier()
                + " events, the limit `quantifier`",
            "Flink keeps one state per counted event: use `{n,}` with a smaller n, or `+`, and"
                + " test the count with `having count(stage) >= ...`");
      }
      long times = multiply(multiplier, Math.min(count, limits.quantifier() + 1L));
      if (element instanceof Element.Group group) {
        sequence(group.body(), times);
      } else {
        stages++;
        if (stages == limits.stages() + 1) {
          report.error(
              element.span(),
              "rule `"
                  + rule.name().text()
                  + "` has more than "
                  + limits.stages()
                  + " stages, the limit `stages`",
              "split it into several rules");
        }
        expanded = Math.min(Long.MAX_VALUE / 4, expanded + times);
        if (expanded > limits.patternSize() && !countTooLarge && !sizeReported) {
          sizeReported = true;
          report.error(
              span,
              "with its repetitions the pattern has more than "
                  + limits.patternSize()
                  + " stages, the limit `pattern-size`",
              "each stage counts its largest count times those of the groups around it: use"
                  + " smaller counts or fewer nested repeated groups");
        }
      }
    }
  }

  /** The states Flink builds for one quantifier: its largest count, or its minimum plus a loop. */
  private static long repetitions(Quantifier q) {
    return q.max().isPresent() ? q.max().getAsInt() : q.min() + 1L;
  }

  private static long multiply(long a, long b) {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 2;
    }
  }
}
