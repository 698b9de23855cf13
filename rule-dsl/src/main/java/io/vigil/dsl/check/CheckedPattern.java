package io.vigil.dsl.check;

import io.vigil.dsl.ast.Quantifier;
import io.vigil.dsl.ast.Sequence.Link;
import io.vigil.dsl.diagnostic.Span;
import io.vigil.dsl.schema.StreamSchema;
import java.util.List;
import java.util.Optional;

/** A rule's pattern after checking: every stage knows its stream and has a typed condition. */
public record CheckedPattern(List<Step> steps) {

  public CheckedPattern {
    steps = List.copyOf(steps);
  }

  public record Step(Link link, Element element) {}

  /** Contiguity between the events of one looping stage or group. */
  public enum InnerContiguity {
    /** Default: other events may come between iterations (Flink's default for loops). */
    RELAXED,
    /** {@code consecutive}: Flink's consecutive(). */
    STRICT,
    /** {@code any combination}: Flink's allowCombinations(). */
    NON_DETERMINISTIC
  }

  public sealed interface Element {
    Quantifier quantifier();

    boolean greedy();

    InnerContiguity inner();

    Span span();
  }

  /**
   * One condition on one event. {@code looping} is true when the stage can take several events of a
   * match, either by its own quantifier or because it sits in a looping group.
   */
  public record Stage(
      String name,
      StreamSchema stream,
      TypedExpr condition,
      Quantifier quantifier,
      boolean greedy,
      InnerContiguity inner,
      Optional<TypedExpr> until,
      boolean looping,
      Span span)
      implements Element {}

  public record Group(
      CheckedPattern body, Quantifier quantifier, boolean greedy, InnerContiguity inner, Span span)
      implements Element {}

  /** Every stage, depth first, in the order written. */
  public List<Stage> stages() {
    List<Stage> out = new java.util.ArrayList<>();
    for (Step step : steps) {
      if (step.element() instanceof Stage s) {
        out.add(s);
      } else if (step.element() instanceof Group g) {
        out.addAll(g.body().stages());
      }
    }
    return out;
  }
}
