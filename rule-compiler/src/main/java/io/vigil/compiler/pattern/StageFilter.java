package io.vigil.compiler.pattern;

import io.vigil.compiler.condition.CompiledCondition;
import io.vigil.compiler.condition.MatchView;
import io.vigil.compiler.event.Event;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/**
 * A stage condition on the current event only: Flink's cheaper {@link SimpleCondition} (no access
 * to the partial match). The event must also be of the stage's stream.
 */
final class StageFilter extends SimpleCondition<Event> implements StageRequirements {

  private static final long serialVersionUID = 1L;

  private final String stream;
  private final CompiledCondition condition;

  StageFilter(String stream, CompiledCondition condition) {
    this.stream = stream;
    this.condition = condition;
  }

  @Override
  public boolean filter(Event event) {
    return stream.equals(event.stream()) && condition.test(event, MatchView.NONE);
  }

  @Override
  public String stream() {
    return stream;
  }

  @Override
  public java.util.List<io.vigil.compiler.condition.RequiredValue> requiredValues() {
    return condition.requiredValues();
  }

  @Override
  public java.util.Optional<io.vigil.compiler.condition.RequiredBound> leadingBound() {
    return condition.leadingBound();
  }

  @Override
  public boolean isOnlyLeadingBound() {
    return condition.isOnlyLeadingBound();
  }

  @Override
  public java.util.Optional<ConditionForm> failureFreeForm() {
    return condition.failureFreeExpression().map(e -> new ConditionForm(stream, e));
  }

  @Override
  public String toString() {
    return "StageFilter(" + stream + ")";
  }
}
