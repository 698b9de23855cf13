package io.vigil.runtime.matcher;

import io.vigil.runtime.matcher.state.KeyState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.InternalTimerService;

/**
 * The event-time timers of the current key, at most two kinds: its window timer (the earliest time
 * a partial match of any of its rules can expire) and its idle-key timer (the idle-key TTL after
 * its latest event, rounded up to a slice of the TTL). Either fires a drain without events.
 */
final class KeyTimers {

  private final InternalTimerService<VoidNamespace> timers;

  /** The idle-key TTL in ms; 0 or less: keys never expire. */
  private final long idleKeyTtl;

  KeyTimers(InternalTimerService<VoidNamespace> timers, long idleKeyTtl) {
    this.timers = timers;
    this.idleKeyTtl = idleKeyTtl;
  }

  /**
   * One window timer per key, at the earliest time a partial match of any of its rules can expire
   * (not one per new partial match, as {@code CepOperator} registers): when it fires, the drain
   * advances every rule of the key to the watermark and arms the next one. A pending timer at or
   * before that time is enough; a later one is left to fire for nothing.
   *
   * @return whether {@code key} changed
   */
  boolean armWindowTimer(long expiry, long watermark, KeyState key) {
    long armed = key.windowTimer();
    boolean stillDue = armed != KeyState.NONE && armed > watermark;
    if (expiry == Long.MAX_VALUE || (stillDue && armed <= expiry)) {
      return false;
    }
    timers.registerEventTimeTimer(VoidNamespace.INSTANCE, expiry);
    key.windowTimer(expiry);
    return true;
  }

  /** Records the key's latest event time for the idle-key TTL; true if it changed. */
  boolean touch(long ts, KeyState key) {
    long last = key.lastSeen();
    if (idleKeyTtl <= 0 || (last != KeyState.NONE && ts <= last)) {
      return false;
    }
    key.lastSeen(ts);
    // One timer per key and slice of the TTL, not per event: registered only when the event moves
    // the key's expiry into a later slice (registering the same timer again costs a lookup in the
    // timer queue).
    long due = expiryTimer(ts);
    if (last == KeyState.NONE || due != expiryTimer(last)) {
      timers.registerEventTimeTimer(VoidNamespace.INSTANCE, due);
    }
    return true;
  }

  /**
   * Whether the key has been idle for the TTL at {@code watermark}. Never at the end of input
   * (watermark MAX): the job is finishing and there is nothing left to save.
   */
  boolean idle(KeyState key, long watermark) {
    if (idleKeyTtl <= 0 || watermark == Long.MAX_VALUE) {
      return false;
    }
    return key.lastSeen() != KeyState.NONE && key.lastSeen() + idleKeyTtl <= watermark;
  }

  /** The TTL timer of a key last seen at {@code ts}: the end of the slice its expiry falls in. */
  private long expiryTimer(long ts) {
    long slice = Math.max(1, idleKeyTtl / 8);
    return ((ts + idleKeyTtl) / slice + 1) * slice;
  }
}
