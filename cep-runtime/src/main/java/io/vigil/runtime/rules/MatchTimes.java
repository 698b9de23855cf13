package io.vigil.runtime.rules;

import io.vigil.compiler.event.Event;
import java.util.List;
import java.util.Map;

/** Where a match of a family's NFA lies in time, which decides the members that take it. */
public final class MatchTimes {

  private MatchTimes() {}

  /**
   * The time of a match's latest event: the event that completed it, as Flink's NFA completes a
   * match by taking an event. A match that completes when its window passes after a trailing
   * negation is the exception; members with a negation share their window, so such a match fits
   * every member's.
   *
   * @throws IllegalArgumentException for a match without events
   */
  public static long lastTime(Map<String, List<Event>> match) {
    long last = Long.MIN_VALUE;
    boolean any = false;
    for (List<Event> events : match.values()) {
      for (Event e : events) {
        last = Math.max(last, e.timestamp());
        any = true;
      }
    }
    if (!any) {
      throw new IllegalArgumentException("a match without events");
    }
    return last;
  }

  /**
   * The event a match began with: its earliest (by time; the first of equals as the match lists
   * them). A member's own NFA holds the match when it began in the member's time ({@link
   * RuleFamily.Member#takes}).
   *
   * @throws IllegalArgumentException for a match without events
   */
  public static Event firstEvent(Map<String, List<Event>> match) {
    Event first = null;
    for (List<Event> events : match.values()) {
      for (Event e : events) {
        if (first == null || e.timestamp() < first.timestamp()) {
          first = e;
        }
      }
    }
    if (first == null) {
      throw new IllegalArgumentException("a match without events");
    }
    return first;
  }
}
