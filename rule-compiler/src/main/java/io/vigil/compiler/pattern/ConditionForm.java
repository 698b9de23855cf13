package io.vigil.compiler.pattern;

import io.vigil.dsl.check.TypedExpr;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A stage condition (or part of one) as written, after type checking: two with equal forms (the
 * same stream and structurally equal expressions, constants included) are TRUE for the same event
 * and partial match, so a runtime may evaluate one for both.
 *
 * @param stream the stream whose events the condition can accept
 * @param expression the condition's typed expression
 */
public record ConditionForm(String stream, TypedExpr expression) {

  /**
   * For each of {@code forms}, the index of the first with an equal form (its own index when it is
   * the first), or -1 where there is no form.
   */
  public static int[] firstAlike(List<Optional<ConditionForm>> forms) {
    int[] first = new int[forms.size()];
    Map<ConditionForm, Integer> seen = new HashMap<>();
    for (int i = 0; i < first.length; i++) {
      int index = i;
      first[i] = forms.get(i).map(form -> seen.computeIfAbsent(form, f -> index)).orElse(-1);
    }
    return first;
  }
}
