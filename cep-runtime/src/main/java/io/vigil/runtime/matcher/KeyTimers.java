package io.vigil.runtime.matcher;

import io.vigil.runtime.matcher.state.KeyState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.InternalTimerService;

/**
 * The event-time timer of the current key: one per key with live rules, due at the earlier of its
 * window expiry (the earliest time a partial match of any of its rules can expire) and its idle
 * expiry (the idle-key TTL after its latest event). It fires a drain without events, which arms it
 * again. A key without live rules keeps no state, so it needs neither: on a stream of many keys
 * most keys never hold a timer.
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
   * Arms the key's timer at the earlier of {@code windowExpiry} and its idle expiry (not one per
   * new partial match, as {@code CepOperator} registers; not one per event for the TTL). A timer
   * pending at or before that time is enough: the drain it fires arms the next. A later one is left
   * to fire for nothing (deleting it could delete a stage window's timer of the same time). None is
   * armed at or before the watermark: the key was just drained there (at the end of input, where a
   * key is never idle, such a timer would fire again at once, and so on forever).
   *
   * @return whether {@code key} changed
   */
  boolean arm(long windowExpiry, long watermark, KeyState key) {
    long due = Math.min(windowExpiry, idleExpiry(key));
    long armed = key.timer();
    boolean pending = armed != KeyState.NONE && armed > watermark;
    if (due == Long.MAX_VALUE || due <= watermark || (pending && armed <= due)) {
      return false;
    }
    timers.registerEventTimeTimer(VoidNamespace.INSTANCE, due);
    key.timer(due);
    return true;
  }

  /** Records the key's latest event time for the idle-key TTL; true if it changed. */
  boolean touch(long ts, KeyState key) {
    long last = key.lastSeen();
    if (idleKeyTtl <= 0 || (last != KeyState.NONE && ts <= last)) {
      return false;
    }
    key.lastSeen(ts);
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

  /** When the key becomes idle, or {@code Long.MAX_VALUE} (no TTL, or no event recorded). */
  private long idleExpiry(KeyState key) {
    long last = key.lastSeen();
    if (idleKeyTtl <= 0 || last == KeyState.NONE) {
      return Long.MAX_VALUE;
    }
    return last > Long.MAX_VALUE - idleKeyTtl ? Long.MAX_VALUE : last + idleKeyTtl;
  }
}
