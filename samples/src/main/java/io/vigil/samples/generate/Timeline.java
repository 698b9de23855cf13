package io.vigil.samples.generate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Collects events of a scenario and writes them out in time order, with an optional bounded
 * disorder so that replays exercise the runtime's lateness handling.
 */
final class Timeline {

  private final List<GeneratedEvent> events = new ArrayList<>();
  private final List<Incident> incidents = new ArrayList<>();
  private final Random random;
  private int sequence;

  Timeline(Random random) {
    this.random = random;
  }

  void add(String stream, Instant time, Object... keyValues) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("eventId", stream.charAt(0) + "-" + (++sequence));
    for (int i = 0; i < keyValues.length; i += 2) {
      event.put((String) keyValues[i], keyValues[i + 1]);
    }
    event.put("ts", time.toString());
    events.add(new GeneratedEvent(stream, time, event));
  }

  /**
   * The events in time order, then each moved by at most {@code disorder} positions-worth of time
   * (never more than {@code maxDelay} late), as a real stream arrives.
   */
  List<GeneratedEvent> events(Duration maxDelay) {
    List<GeneratedEvent> sorted = new ArrayList<>(events);
    sorted.sort(Comparator.comparing(GeneratedEvent::time));
    if (maxDelay.isZero()) {
      return sorted;
    }
    // Arrival = event time + a random delay below maxDelay: order by arrival.
    List<long[]> arrival = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      long delay = (long) (random.nextDouble() * maxDelay.toMillis());
      arrival.add(new long[] {sorted.get(i).time().toEpochMilli() + delay, i});
    }
    arrival.sort(Comparator.<long[]>comparingLong(a -> a[0]).thenComparingLong(a -> a[1]));
    List<GeneratedEvent> out = new ArrayList<>();
    arrival.forEach(a -> out.add(sorted.get((int) a[1])));
    return out;
  }

  /** Labels an incident planted in the events (see {@link Incident}). */
  void plant(String rule, String keyField, String keyValue, Instant from, Instant to) {
    incidents.add(new Incident(rule, java.util.Map.of(keyField, keyValue), from, to));
  }

  List<Incident> incidents() {
    return List.copyOf(incidents);
  }

  Random random() {
    return random;
  }
}
