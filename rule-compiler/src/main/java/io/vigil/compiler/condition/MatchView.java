package io.vigil.compiler.condition;

import io.vigil.compiler.event.Event;
import java.util.List;

/**
 * What a compiled expression may read besides the current event: the events accepted so far by each
 * stage, and the partition key. While a stage condition runs this is Flink's partial match ({@code
 * IterativeCondition.Context#getEventsForPattern}); for {@code having} and alert templates it is
 * the complete (or timed-out) match.
 */
public interface MatchView {

  /** The events stage {@code stage} has accepted, in order; empty when it has none. */
  Iterable<Event> events(String stage);

  /**
   * The event stage {@code stage} accepted last, or null when it has none. A view that can find it
   * without reading the stage's other events (or the other stages') overrides this: for a condition
   * such as {@code country != last(fails).country} on a long partial match that is the difference
   * between one event and all of them.
   */
  default Event latest(String stage) {
    Iterable<Event> accepted = events(stage);
    if (accepted instanceof List<Event> list && accepted instanceof java.util.RandomAccess) {
      return list.isEmpty() ? null : list.get(list.size() - 1);
    }
    Event latest = null;
    for (Event event : accepted) {
      latest = event;
    }
    return latest;
  }

  /** The partition-key value at {@code position}, or null when the view has no key. */
  Object key(int position);

  /**
   * The partial match could not be read (a state backend failure): not a failure of the rule's
   * expression, so it fails the task instead of making the condition false.
   */
  final class UnreadableMatch extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnreadableMatch(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The view of a stage condition that reads no other stage: nothing to see. */
  MatchView NONE =
      new MatchView() {
        @Override
        public Iterable<Event> events(String stage) {
          return List.of();
        }

        @Override
        public Object key(int position) {
          return null;
        }
      };
}
