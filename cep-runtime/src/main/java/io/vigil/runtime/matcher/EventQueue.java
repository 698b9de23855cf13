package io.vigil.runtime.matcher;

import io.vigil.runtime.routing.Routed;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The events of one parallel instance that the watermark has not passed yet, taken out by timestamp
 * and, within a timestamp, in input order: their position in the input when the router gives one (a
 * file read by several readers), else their arrival order.
 *
 * <p>Events mostly arrive in time order. Those go to the end of a first-in first-out run, at no
 * cost; only an event older than the newest one in the run waits in a heap. Taking the next event
 * compares the heads of the two.
 */
final class EventQueue {

  /**
   * A queued event; {@code seq} is its position in the input when it has one ({@link
   * Routed#order()}: several readers of one file), else its arrival number.
   */
  record Pending(long ts, long seq, Routed routed) {}

  // Written out rather than composed from key extractors: the heap calls it for nearly every
  // event of a run whose streams interleave out of time order.
  private static final Comparator<Pending> BY_TIME =
      (a, b) -> a.ts() != b.ts() ? Long.compare(a.ts(), b.ts()) : Long.compare(a.seq(), b.seq());

  private final ArrayDeque<Pending> run = new ArrayDeque<>();
  private final PriorityQueue<Pending> stragglers = new PriorityQueue<>(BY_TIME);
  private long arrivals;

  /** The slots of {@link #perSlot} in a queue made with {@link #EventQueue()}. */
  private static final int SLOTS = 4096;

  /**
   * Queued events per slot of key hashes: above each key's count (keys that share a slot add up),
   * at the cost of an array increment per event. A key whose slot is below the per-key cap is below
   * it ({@link #atLeast}); only a slot at the cap has its keys counted exactly.
   */
  private final int[] perSlot;

  /**
   * Queued events per key, counted only while a slot is at the cap (a flood of one key, or of keys
   * that share its slot), until the queue has half emptied.
   */
  private final java.util.HashMap<String, Integer> perKey = new java.util.HashMap<>();

  private boolean counting;

  EventQueue() {
    this(SLOTS);
  }

  /** With {@code slots} slots of key hashes, a power of two (tests use few, so keys share them). */
  EventQueue(int slots) {
    if (Integer.bitCount(slots) != 1) {
      throw new IllegalArgumentException("slots must be a power of two: " + slots);
    }
    perSlot = new int[slots];
  }

  private int slot(String key) {
    int h = key.hashCode();
    return (h ^ (h >>> 16)) & (perSlot.length - 1);
  }

  void add(long ts, Routed routed) {
    perSlot[slot(routed.key())]++;
    if (counting) {
      perKey.merge(routed.key(), 1, Integer::sum);
    }
    long seq = routed.order() == Routed.ARRIVAL_ORDER ? arrivals++ : routed.order();
    Pending pending = new Pending(ts, seq, routed);
    Pending last = run.peekLast();
    // Ties go to the run as well: the copies of one input line routed under several keys share
    // its time and position, and a heap would take every copy after the first.
    if (last == null || BY_TIME.compare(pending, last) >= 0) {
      run.addLast(pending);
    } else {
      stragglers.add(pending);
    }
  }

  boolean isEmpty() {
    return run.isEmpty() && stragglers.isEmpty();
  }

  /** Whether {@code key} has {@code cap} or more events in the queue. */
  boolean atLeast(String key, int cap) {
    if (counting && size() < cap / 2) {
      // Counting again costs a pass over the queue: not before it has half emptied.
      counting = false;
      perKey.clear();
    }
    if (perSlot[slot(key)] < cap) {
      return false;
    }
    if (!counting) {
      counting = true;
      run.forEach(p -> perKey.merge(p.routed().key(), 1, Integer::sum));
      stragglers.forEach(p -> perKey.merge(p.routed().key(), 1, Integer::sum));
    }
    return perKey.getOrDefault(key, 0) >= cap;
  }

  int size() {
    return run.size() + stragglers.size();
  }

  /** Takes out the events at or before {@code time}, in the order the queue keeps them. */
  List<Pending> takeUpTo(long time) {
    if (isEmpty() || next().ts() > time) {
      return List.of();
    }
    List<Pending> due = new ArrayList<>();
    while (!isEmpty() && next().ts() <= time) {
      due.add(poll());
    }
    return due;
  }

  private Pending poll() {
    Pending head = next();
    Pending taken = head == run.peekFirst() ? run.pollFirst() : stragglers.poll();
    perSlot[slot(taken.routed().key())]--;
    if (counting) {
      perKey.computeIfPresent(taken.routed().key(), (k, n) -> n == 1 ? null : n - 1);
    }
    return taken;
  }

  private Pending next() {
    Pending fromRun = run.peekFirst();
    Pending straggler = stragglers.peek();
    if (straggler == null || (fromRun != null && BY_TIME.compare(fromRun, straggler) < 0)) {
      return fromRun;
    }
    return straggler;
  }

  /** Every queued event in the order {@link #takeUpTo} would take them, the queue unchanged. */
  List<Routed> inOrder() {
    List<Pending> all = new ArrayList<>(size());
    all.addAll(run);
    all.addAll(stragglers);
    all.sort(BY_TIME);
    List<Routed> events = new ArrayList<>(all.size());
    for (Pending p : all) {
      events.add(p.routed());
    }
    return events;
  }
}
