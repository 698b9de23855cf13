package io.vigil.runtime.routing;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event-time watermarks per stream and source partition, as Flink's Kafka source keeps them per
 * split: each (stream, partition)'s watermark is its highest timestamp minus the stream's declared
 * lateness (minus 1 ms, like Flink's bounded-out-of-orderness generator); the emitted watermark is
 * the minimum over those that are not idle. One (stream, partition) running ahead, e.g. while a job
 * catches up on a backlog, then cannot make the events of another late.
 *
 * <p>A (stream, partition) is idle after {@code idleness} of processing time without events, so a
 * quiet one does not stall the others. The streams the initial rules read are expected: until one
 * has been seen it holds event time back, for at most {@code idleness} after start-up (a stream
 * whose first records are fetched a little after another's must not find the watermark already past
 * them). {@link Duration#ZERO} turns idleness, and so the waiting, off (deterministic replays).
 *
 * <p>A watermark is emitted periodically (Flink's auto-watermark interval) and, when {@code
 * everyEvents} is positive, after every {@code everyEvents} events: a bounded replay reads as fast
 * as it can, and the events read between two watermarks wait in memory for the next one.
 */
public final class PerStreamWatermarks implements WatermarkGenerator<Routed> {

  private final long idlenessMs;
  private final Set<String> expected;
  private final LongSupplier clock;
  private final long createdAt;
  private final int everyEvents;
  private int sinceEmitted;

  /** Per stream, per partition: {@code [max timestamp, lateness, last seen]}. */
  private final Map<String, Map<Integer, long[]>> sources = new HashMap<>();

  private long emitted = Long.MIN_VALUE;
  private boolean idle;

  private static final int MAX = 0;
  private static final int LATENESS = 1;
  private static final int LAST_SEEN = 2;

  PerStreamWatermarks(Duration idleness, Set<String> expected, LongSupplier clock) {
    this(idleness, expected, clock, 0);
  }

  PerStreamWatermarks(
      Duration idleness, Set<String> expected, LongSupplier clock, int everyEvents) {
    this.everyEvents = everyEvents;
    this.idlenessMs = idleness.toMillis();
    this.expected = Set.copyOf(expected);
    this.clock = clock;
    this.createdAt = clock.getAsLong();
  }

  /**
   * @param expected the streams whose events are expected from the start (those the initial rules
   *     read)
   * @param everyEvents emit after this many events too (0: periodically only)
   */
  public static WatermarkStrategy<Routed> strategy(
      Duration idleness, Set<String> expected, int everyEvents) {
    Set<String> streams = Set.copyOf(expected);
    return WatermarkStrategy.<Routed>forGenerator(
            ctx ->
                new PerStreamWatermarks(idleness, streams, System::currentTimeMillis, everyEvents))
        .withTimestampAssigner((routed, previous) -> routed.event().timestamp());
  }

  @Override
  public void onEvent(Routed routed, long eventTimestamp, WatermarkOutput output) {
    long[] s =
        sources
            .computeIfAbsent(routed.event().stream(), k -> new HashMap<>(4))
            .computeIfAbsent(routed.sourcePartition(), k -> new long[] {Long.MIN_VALUE, 0, 0});
    s[MAX] = Math.max(s[MAX], eventTimestamp);
    s[LATENESS] = routed.lateness();
    if (idlenessMs > 0) {
      s[LAST_SEEN] = clock.getAsLong();
    }
    if (everyEvents > 0 && ++sinceEmitted >= everyEvents) {
      onPeriodicEmit(output);
    }
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    sinceEmitted = 0;
    long now = idlenessMs > 0 ? clock.getAsLong() : 0;
    boolean starting = idlenessMs > 0 && now - createdAt < idlenessMs;
    if (starting && !sources.keySet().containsAll(expected)) {
      // An expected stream not seen yet, and not idle yet either: hold event time.
      return;
    }
    long watermark = Long.MAX_VALUE;
    boolean any = false;
    for (Map<Integer, long[]> partitions : sources.values()) {
      for (long[] s : partitions.values()) {
        if (idlenessMs > 0 && now - s[LAST_SEEN] >= idlenessMs) {
          continue;
        }
        any = true;
        watermark = Math.min(watermark, s[MAX] - s[LATENESS] - 1);
      }
    }
    if (!any) {
      // Everything is idle, or nothing was ever seen (e.g. a subtask that was assigned no Kafka
      // partition): without marking idle, this subtask would hold event time back forever.
      boolean quiet = !sources.isEmpty() || (idlenessMs > 0 && !starting);
      if (quiet && !idle) {
        idle = true;
        output.markIdle();
      }
      return;
    }
    if (idle) {
      idle = false;
      output.markActive();
    }
    if (watermark > emitted) {
      emitted = watermark;
      output.emitWatermark(new Watermark(watermark));
    }
  }
}
