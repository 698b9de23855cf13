package io.vigil.compiler.pattern;

import io.vigil.compiler.condition.CompiledCondition;
import io.vigil.compiler.condition.MatchView;
import io.vigil.compiler.event.Event;
import java.util.Optional;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;

/**
 * A stage condition that reads earlier stages ({@code a.country}, {@code count(x)}, ...) through
 * Flink's partial match. The event must also be of the stage's stream: a rule may read several.
 */
final class StageCondition extends IterativeCondition<Event> implements StageRequirements {

  private static final long serialVersionUID = 1L;

  private final String stream;
  private final CompiledCondition condition;

  StageCondition(String stream, CompiledCondition condition) {
    this.stream = stream;
    this.condition = condition;
  }

  @Override
  public boolean filter(Event event, Context<Event> context) {
    return stream.equals(event.stream()) && condition.test(event, new PartialMatch(context));
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
    return "StageCondition(" + stream + ")";
  }

  /** Flink's partial match as a {@link MatchView}; conditions never see the key. */
  private record PartialMatch(Context<Event> context) implements MatchView {
    @Override
    public Iterable<Event> events(String stage) {
      try {
        return context.getEventsForPattern(stage);
      } catch (Exception e) {
        // Flink declares the exception for state access failures; they are fatal for the job.
        throw new MatchView.UnreadableMatch("cannot read the partial match of stage " + stage, e);
      }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Event latest(String stage) {
      try {
        if (context instanceof LatestEvents<?> latest) {
          return ((LatestEvents<Event>) latest).latest(stage);
        }
        // Flink's own context: from the partial match's last node when it is the stage's.
        Optional<Event> fromLastNode = NfaContexts.latest(context, stage);
        return fromLastNode.isPresent() ? fromLastNode.get() : MatchView.super.latest(stage);
      } catch (MatchView.UnreadableMatch e) {
        throw e;
      } catch (Exception e) {
        throw new MatchView.UnreadableMatch("cannot read the partial match of stage " + stage, e);
      }
    }

    @Override
    public Object key(int position) {
      return null;
    }
  }
}
