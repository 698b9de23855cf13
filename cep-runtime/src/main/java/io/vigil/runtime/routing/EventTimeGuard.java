package io.vigil.runtime.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Decides, in the router, whether an event is dated too far ahead to be let into event time ({@link
 * EventTimeLimits}). A stream's watermark is worked out as {@link PerStreamWatermarks} does, from
 * the events this router instance has let through: their highest timestamp minus the stream's
 * lateness, minus 1 ms. On data (lateness 0, limit 1 h):
 *
 * <pre>
 *   10:00  accepted (first event of the stream: nothing to compare with)
 *   10:05  accepted (watermark 09:59:59.999)
 *   2046   dead-lettered: more than 1h ahead of 10:04:59.999; the watermark stays
 *   10:06  accepted
 * </pre>
 *
 * A stream that has been idle ({@code idleness} of processing time without events) holds no
 * watermark back, and its next event is compared with the clock only: a stream whose events are
 * days apart is not dead-lettered for it. With idleness off (a backtest), a gap longer than the
 * limit in one stream's event time is dead-lettered: raise the limit for such data. The state is
 * not checkpointed: after a restart the first event of each stream starts it again.
 */
public final class EventTimeGuard {

  private final long maxAheadOfWatermark;
  private final long maxAheadOfClock;
  private final long idlenessMs;
  private final LongSupplier clock;

  /** Per stream: {@code [highest accepted timestamp, last seen (processing time)]}. */
  private final Map<String, long[]> streams = new HashMap<>();

  public EventTimeGuard(EventTimeLimits limits, Duration idleness, LongSupplier clock) {
    this.maxAheadOfWatermark = limits.maxAheadOfWatermark().toMillis();
    this.maxAheadOfClock = limits.maxAheadOfClock().toMillis();
    this.idlenessMs = idleness.toMillis();
    this.clock = clock;
  }

  /**
   * Checks an event of {@code stream} dated {@code timestamp}; the reason to dead-letter it, or
   * empty when it is let through (and then counts for the stream's watermark).
   */
  public Optional<String> check(String stream, long timestamp, long lateness) {
    long now = maxAheadOfClock > 0 || idlenessMs > 0 ? clock.getAsLong() : 0;
    if (maxAheadOfClock > 0 && timestamp > saturatedAdd(now, maxAheadOfClock)) {
      return Optional.of(
          "timestamp "
              + instant(timestamp)
              + " is more than "
              + Duration.ofMillis(maxAheadOfClock)
              + " ahead of the wall clock "
              + instant(now)
              + " (events.max-ahead-of-clock)");
    }
    long[] seen = streams.get(stream);
    if (maxAheadOfWatermark > 0
        && seen != null
        && (idlenessMs <= 0 || now - seen[1] < idlenessMs)) {
      long watermark = saturatedAdd(seen[0], -saturatedAdd(lateness, 1));
      if (timestamp > saturatedAdd(watermark, maxAheadOfWatermark)) {
        return Optional.of(
            "timestamp "
                + instant(timestamp)
                + " is more than "
                + Duration.ofMillis(maxAheadOfWatermark)
                + " ahead of stream "
                + stream
                + "'s watermark "
                + instant(watermark)
                + " (events.max-ahead-of-watermark)");
      }
    }
    if (seen == null) {
      streams.put(stream, new long[] {timestamp, now});
    } else {
      seen[0] = Math.max(seen[0], timestamp);
      seen[1] = now;
    }
    return Optional.empty();
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    // Overflow iff both operands have the sign opposite to the sum's.
    if (((a ^ sum) & (b ^ sum)) < 0) {
      return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return sum;
  }

  private static String instant(long millis) {
    try {
      return Instant.ofEpochMilli(millis).toString();
    } catch (java.time.DateTimeException e) {
      return millis + " ms";
    }
  }
}
