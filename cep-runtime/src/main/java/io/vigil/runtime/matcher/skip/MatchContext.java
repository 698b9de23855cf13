package io.vigil.runtime.matcher.skip;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.nfa.ComputationState;
import org.apache.flink.cep.nfa.sharedbuffer.EventId;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBufferAccessor;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;

/**
 * The condition context the NFA would give: the partial match's events, read lazily from the shared
 * buffer (only conditions that name an earlier stage pay for it).
 */
final class MatchContext<T> implements IterativeCondition.Context<T> {
  private SharedBufferAccessor<T> accessor;
  private ComputationState computation;
  private long timestamp;
  private Map<ComputationState, Map<String, List<T>>> memo;

  MatchContext<T> of(
      SharedBufferAccessor<T> accessor,
      ComputationState computation,
      long timestamp,
      Map<ComputationState, Map<String, List<T>>> memo) {
    this.accessor = accessor;
    this.computation = computation;
    this.timestamp = timestamp;
    this.memo = memo;
    return this;
  }

  @Override
  public Iterable<T> getEventsForPattern(String name) throws Exception {
    Map<String, List<T>> events = memo.get(computation);
    if (events == null) {
      events = accessor.materializeMatch(eventIds());
      memo.put(computation, events);
    }
    List<T> stage = events.get(name);
    return stage == null ? Collections.emptyList() : stage;
  }

  private Map<String, List<EventId>> eventIds() throws Exception {
    if (computation.getPreviousBufferEntry() == null) {
      return new HashMap<>();
    }
    List<Map<String, List<EventId>>> paths =
        accessor.extractPatterns(computation.getPreviousBufferEntry(), computation.getVersion());
    if (paths.isEmpty()) {
      return new HashMap<>();
    }
    if (paths.size() != 1) {
      // The NFA fails here: let it.
      throw new IllegalStateException("partial match with " + paths.size() + " paths");
    }
    return paths.get(0);
  }

  @Override
  public long timestamp() {
    return timestamp;
  }

  /** The partial match as the rule compiler's conditions read it. */
  io.vigil.compiler.condition.MatchView matchView() {
    return new io.vigil.compiler.condition.MatchView() {
      @Override
      @SuppressWarnings("unchecked")
      public Iterable<io.vigil.compiler.event.Event> events(String stage) {
        try {
          return (Iterable<io.vigil.compiler.event.Event>) getEventsForPattern(stage);
        } catch (Exception e) {
          throw new IllegalStateException("cannot read the partial match of " + stage, e);
        }
      }

      @Override
      public Object key(int position) {
        return null;
      }
    };
  }

  @Override
  public long currentProcessingTime() {
    return System.currentTimeMillis();
  }
}
