package io.vigil.runtime.matcher.skip;

import io.vigil.compiler.condition.MatchView;
import io.vigil.compiler.event.Event;
import io.vigil.compiler.pattern.LatestEvents;
import io.vigil.compiler.pattern.NfaContexts;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.nfa.ComputationState;
import org.apache.flink.cep.nfa.sharedbuffer.EventId;
import org.apache.flink.cep.nfa.sharedbuffer.NodeId;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBufferAccessor;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;

/**
 * The condition context the NFA would give: the partial match's events, read lazily from the shared
 * buffer (only conditions that name an earlier stage pay for it). A condition that reads only the
 * latest event of the stage that took the partial match's latest event ({@code last(fails)} while
 * {@code fails} loops, {@code a.country} right after {@code a}) gets that event alone: reading the
 * whole partial match walks the shared buffer back through every event of it, checking each node's
 * edges for the partial match's version, which on a long loop with many partial matches (relaxed
 * contiguity, no skip) is most of the matcher's time.
 */
public final class MatchContext<T> implements IterativeCondition.Context<T>, LatestEvents<T> {
  private SharedBufferAccessor<T> accessor;
  private ComputationState computation;
  private long timestamp;
  private Map<ComputationState, Map<String, List<T>>> memo;

  /**
   * The stage of the partial match's last node and its event, once a condition asked for them
   * (several conditions, or one reading two fields, ask for the same); null until then.
   */
  private String lastNodeStage;

  private T lastNodeEvent;

  /**
   * This context pointed at {@code computation}; {@code memo} keeps what it reads, per partial
   * match.
   */
  public MatchContext<T> of(
      SharedBufferAccessor<T> accessor,
      ComputationState computation,
      long timestamp,
      Map<ComputationState, Map<String, List<T>>> memo) {
    this.accessor = accessor;
    this.computation = computation;
    this.timestamp = timestamp;
    this.memo = memo;
    this.lastNodeStage = null;
    this.lastNodeEvent = null;
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

  @Override
  public T latest(String name) throws Exception {
    NodeId previous = computation.getPreviousBufferEntry();
    if (previous != null && !memo.containsKey(computation)) {
      if (lastNodeStage == null) {
        lastNodeStage = NfaContexts.stageOf(previous);
      }
      if (name.equals(lastNodeStage)) {
        if (lastNodeEvent == null) {
          lastNodeEvent = NfaContexts.eventAt(accessor, previous).orElseThrow();
        }
        return lastNodeEvent;
      }
    }
    List<T> stage = (List<T>) getEventsForPattern(name);
    return stage.isEmpty() ? null : stage.get(stage.size() - 1);
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
  MatchView matchView() {
    return new MatchView() {
      @Override
      @SuppressWarnings("unchecked")
      public Iterable<Event> events(String stage) {
        try {
          return (Iterable<Event>) getEventsForPattern(stage);
        } catch (Exception e) {
          throw new IllegalStateException("cannot read the partial match of " + stage, e);
        }
      }

      @Override
      public Event latest(String stage) {
        try {
          return (Event) MatchContext.this.latest(stage);
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
