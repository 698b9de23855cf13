package io.vigil.runtime.matching;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event-time watermarks per stream: each stream's watermark is its highest timestamp minus its
 * declared lateness (minus 1 ms, like Flink's bounded-out-of-orderness generator); the emitted
 * watermark is the minimum over the streams that are not idle. A stream is idle after {@code
 * idleness} of processing time without events, so a quiet stream does not stall the others; {@link
 * Duration#ZERO} turns idleness off (deterministic replays).
 */
public final class PerStreamWatermarks implements WatermarkGenerator<Routed> {

  private final long idlenessMs;
  private final Map<String, long[]> streams = new HashMap<>();
  private long emitted = Long.MIN_VALUE;
  private boolean idle;
  private final long createdAt = System.currentTimeMillis();

  private static final int MAX = 0;
  private static final int LATENESS = 1;
  private static final int LAST_SEEN = 2;

  public PerStreamWatermarks(Duration idleness) {
    this.idlenessMs = idleness.toMillis();
  }

  public static WatermarkStrategy<Routed> strategy(Duration idleness) {
    return WatermarkStrategy.<Routed>forGenerator(ctx -> new PerStreamWatermarks(idleness))
        .withTimestampAssigner((routed, previous) -> routed.event().timestamp());
  }

  @Override
  public void onEvent(Routed routed, long eventTimestamp, WatermarkOutput output) {
    long[] s =
        streams.computeIfAbsent(routed.event().stream(), k -> new long[] {Long.MIN_VALUE, 0, 0});
    s[MAX] = Math.max(s[MAX], eventTimestamp);
    s[LATENESS] = routed.lateness();
    if (idlenessMs > 0) {
      s[LAST_SEEN] = System.currentTimeMillis();
    }
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    long now = idlenessMs > 0 ? System.currentTimeMillis() : 0;
    long watermark = Long.MAX_VALUE;
    boolean any = false;
    for (long[] s : streams.values()) {
      if (idlenessMs > 0 && now - s[LAST_SEEN] >= idlenessMs) {
        continue;
      }
      any = true;
      watermark = Math.min(watermark, s[MAX] - s[LATENESS] - 1);
    }
    if (!any) {
      // Every stream is idle, or none was ever seen (e.g. a subtask that was assigned no Kafka
      // partition): without marking idle, this subtask would hold event time back forever.
      boolean quiet = !streams.isEmpty() || (idlenessMs > 0 && now - createdAt >= idlenessMs);
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
