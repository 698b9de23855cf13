package io.vigil.runtime.matcher;

import io.vigil.compiler.event.Event;
import io.vigil.runtime.matcher.EventQueue.Pending;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events a watermark passes, grouped by key in the order of each key's first event, handed to
 * the drains key by key. One per operator, for every watermark in turn.
 *
 * <p>Why it reads ahead in blocks: the queued events were read and decoded tens of thousands of
 * events before the watermark passes them, and are no longer in the processor's caches. Read one
 * key at a time, the first touch of each key and event waits for memory in turn, the next one only
 * after it. Here a block of {@link #BLOCK} keys (or events) is first read in a short loop whose
 * loads do not depend on each other, which the processor overlaps, and is then grouped or drained
 * from its caches. (The drains read the events of a block within microseconds; a longer block
 * gained nothing more. Measured: docs/benchmarks-history.md, *Where a run's CPU goes*.)
 */
final class DueKeys {

  /** The keys, or events, read ahead at once. */
  static final int BLOCK = 16;

  /** A key's drain. */
  @FunctionalInterface
  interface Drain {
    void drain(String key, List<Pending> events) throws Exception;
  }

  /** The current watermark's keys in the order of their first event, and their events. */
  private final List<String> keys = new ArrayList<>();

  private final List<List<Pending>> events = new ArrayList<>();

  /**
   * What the reads ahead read, kept in a field of an object that lives as long as the operator: the
   * JIT may leave out loads whose values nobody keeps.
   */
  private int readAhead;

  /**
   * Groups {@code due} (in time order) by key and drains each key in turn, with its events in that
   * order.
   */
  void drain(List<Pending> due, Drain drain) throws Exception {
    group(due);
    try {
      for (int i = 0; i < keys.size(); i++) {
        if (i % BLOCK == 0) {
          readEventsAhead(i, Math.min(keys.size(), i + BLOCK));
        }
        drain.drain(keys.get(i), events.get(i));
      }
    } finally {
      // The events are the drains' to keep, not this batch's.
      keys.clear();
      events.clear();
    }
  }

  private void group(List<Pending> due) {
    // Sized by what this watermark passes, not by the queue: at a watermark every few
    // milliseconds most of the queue (a stream's lateness' worth, or more behind a slower stream)
    // stays queued.
    Map<String, List<Pending>> byKey = new LinkedHashMap<>(due.size() * 2);
    int read = 0;
    for (int from = 0; from < due.size(); from += BLOCK) {
      int to = Math.min(due.size(), from + BLOCK);
      for (int i = from; i < to; i++) {
        read += due.get(i).routed().key().hashCode();
      }
      for (int i = from; i < to; i++) {
        Pending p = due.get(i);
        byKey.computeIfAbsent(p.routed().key(), k -> new ArrayList<>(2)).add(p);
      }
    }
    keys.addAll(byKey.keySet());
    events.addAll(byKey.values());
    readAhead += read;
  }

  private void readEventsAhead(int from, int to) {
    int read = 0;
    for (int k = from; k < to; k++) {
      List<Pending> keyEvents = events.get(k);
      for (int i = 0; i < keyEvents.size(); i++) {
        Event event = keyEvents.get(i).routed().event();
        read += (int) event.timestamp() + event.size();
      }
    }
    readAhead += read;
  }
}
