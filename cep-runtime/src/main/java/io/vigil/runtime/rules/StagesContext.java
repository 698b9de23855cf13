package io.vigil.runtime.rules;

import io.vigil.compiler.event.Event;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;

/**
 * What a stage condition sees when a rule family tests it outside Flink's NFA, as the member's own
 * NFA would show it: the events of the earlier stages (none for a first stage) and the tested
 * event's time.
 *
 * @param earlier the earlier stages' events by stage name
 * @param timestamp the tested event's time
 */
public record StagesContext(Map<String, List<Event>> earlier, long timestamp)
    implements IterativeCondition.Context<Event> {

  /** For a first stage: no earlier stage. */
  public static StagesContext first(long timestamp) {
    return new StagesContext(Map.of(), timestamp);
  }

  @Override
  public Iterable<Event> getEventsForPattern(String name) {
    List<Event> events = earlier.get(name);
    return events == null ? List.of() : events;
  }

  @Override
  public long currentProcessingTime() {
    return System.currentTimeMillis();
  }
}
