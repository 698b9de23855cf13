package io.vigil.runtime.matcher.state;

import io.vigil.compiler.event.Event;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One prefix match of a rule family, on one key, and where each member stands with it: what each
 * member's own NFA would hold in its final state. A member is absent (its NFA never held the match,
 * or let it go), waiting for its final stage, or, with {@code skip past last event}, holding it
 * completed behind an earlier match. Members are positions in the member table of the {@link
 * WaitingMatches} it belongs to.
 *
 * <p>The prefix is held once, however many members wait on it: with hundreds of members a key's
 * matches were otherwise copied into a list per member.
 */
public final class WaitingMatch {

  private final long start;
  private final long order;
  private final Map<String, List<Event>> prefix;

  /** One bit per member that waits. */
  private long[] waiting;

  /** One bit per member that holds the match completed. */
  private long[] completed;

  /** Per member, the event that completed its match (set where {@link #completed} is). */
  private Completion[] completions;

  /**
   * @param start the time of the prefix's first event, from which the window runs
   * @param order the position of that event among the key's events of the same time (the matcher's
   *     queue order): events of one time are ordered by it, as the NFA's event ids order them
   * @param prefix the prefix's events by stage (not copied: it must not change)
   */
  public WaitingMatch(long start, long order, Map<String, List<Event>> prefix) {
    this(start, order, prefix, new long[0], new long[0], new Completion[0]);
  }

  /** As read back from state: the member sets and each completed member's completion. */
  WaitingMatch(
      long start,
      long order,
      Map<String, List<Event>> prefix,
      long[] waiting,
      long[] completed,
      Completion[] completions) {
    this.start = start;
    this.order = order;
    this.prefix = prefix;
    this.waiting = waiting;
    this.completed = completed;
    this.completions = completions;
  }

  /**
   * The event that completed a member's match, and its position among the key's events of its time.
   */
  public record Completion(Event event, long order) {}

  public long start() {
    return start;
  }

  public long order() {
    return order;
  }

  public Map<String, List<Event>> prefix() {
    return prefix;
  }

  /** Whether the first event came at or before the event at {@code time} and {@code atOrder}. */
  public boolean startsNoLaterThan(long time, long atOrder) {
    return start < time || (start == time && order <= atOrder);
  }

  public boolean waits(int member) {
    return has(waiting, member);
  }

  /** The first member at or after {@code from} that waits, or -1. */
  public int nextWaiting(int from) {
    return next(waiting, from);
  }

  /** The first member at or after {@code from} that holds the match completed, or -1. */
  public int nextCompleted(int from) {
    return next(completed, from);
  }

  /**
   * The number of words of the waiting members' bits (member {@code i} is bit {@code i % 64} of
   * word {@code i / 64}).
   */
  public int waitingWords() {
    return waiting.length;
  }

  /** Word {@code word} of the waiting members' bits. */
  public long waitingWord(int word) {
    return waiting[word];
  }

  /** Of the members of word {@code word}, only those in {@code keep} go on waiting. */
  public void keepWaiting(int word, long keep) {
    waiting[word] &= keep;
  }

  public boolean anyWaiting() {
    return any(waiting);
  }

  /** Whether no member holds it, waiting or completed. */
  public boolean abandoned() {
    return !any(waiting) && !any(completed);
  }

  /** Whether {@code member} holds it, waiting or completed. */
  public boolean heldBy(int member) {
    return has(waiting, member) || has(completed, member);
  }

  /** Members that hold it, waiting or completed. */
  public int holders() {
    return count(waiting) + count(completed);
  }

  /** The event that completed {@code member}'s match, if it did. */
  public Optional<Completion> completion(int member) {
    return has(completed, member) ? Optional.of(completions[member]) : Optional.empty();
  }

  public void startWaiting(int member) {
    waiting = set(waiting, member);
  }

  public void stopWaiting(int member) {
    clear(waiting, member);
  }

  /** Every member stops waiting; completed matches stay. */
  public void stopAllWaiting() {
    Arrays.fill(waiting, 0L);
  }

  /** {@code member}'s match is completed by {@code event}, at {@code eventOrder} in its time. */
  public void complete(int member, Event event, long eventOrder) {
    clear(waiting, member);
    completed = set(completed, member);
    if (completions.length <= member) {
      completions = Arrays.copyOf(completions, Math.max(member + 1, completions.length * 2));
    }
    completions[member] = new Completion(event, eventOrder);
  }

  /** {@code member} lets it go, waiting or completed. */
  public void release(int member) {
    clear(waiting, member);
    if (has(completed, member)) {
      clear(completed, member);
      completions[member] = null;
    }
  }

  /** The same match with the members renumbered: {@code newPosition[old]}, -1 for one gone. */
  WaitingMatch renumbered(int[] newPosition) {
    WaitingMatch out = new WaitingMatch(start, order, prefix);
    for (int m = next(waiting, 0); m >= 0; m = next(waiting, m + 1)) {
      if (m < newPosition.length && newPosition[m] >= 0) {
        out.startWaiting(newPosition[m]);
      }
    }
    for (int m = next(completed, 0); m >= 0; m = next(completed, m + 1)) {
      if (m < newPosition.length && newPosition[m] >= 0) {
        Completion c = completions[m];
        out.complete(newPosition[m], c.event(), c.order());
      }
    }
    return out;
  }

  /** A copy that shares the prefix and completions (immutable) but none of the member sets. */
  WaitingMatch copy() {
    return new WaitingMatch(
        start, order, prefix, waiting.clone(), completed.clone(), completions.clone());
  }

  long[] waitingBits() {
    return waiting;
  }

  long[] completedBits() {
    return completed;
  }

  private static boolean has(long[] bits, int i) {
    int word = i >>> 6;
    return word < bits.length && (bits[word] & (1L << i)) != 0;
  }

  private static long[] set(long[] bits, int i) {
    int word = i >>> 6;
    long[] out = word < bits.length ? bits : Arrays.copyOf(bits, word + 1);
    out[word] |= 1L << i;
    return out;
  }

  private static void clear(long[] bits, int i) {
    int word = i >>> 6;
    if (word < bits.length) {
      bits[word] &= ~(1L << i);
    }
  }

  private static int next(long[] bits, int from) {
    int word = from >>> 6;
    if (word >= bits.length) {
      return -1;
    }
    long rest = bits[word] & (-1L << from);
    while (true) {
      if (rest != 0) {
        return word * 64 + Long.numberOfTrailingZeros(rest);
      }
      if (++word == bits.length) {
        return -1;
      }
      rest = bits[word];
    }
  }

  private static boolean any(long[] bits) {
    for (long w : bits) {
      if (w != 0) {
        return true;
      }
    }
    return false;
  }

  private static int count(long[] bits) {
    int n = 0;
    for (long w : bits) {
      n += Long.bitCount(w);
    }
    return n;
  }
}
