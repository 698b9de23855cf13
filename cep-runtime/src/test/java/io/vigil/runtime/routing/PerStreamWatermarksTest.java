package io.vigil.runtime.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.event.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

/**
 * Event time per stream and source partition: a partition or stream that runs ahead (a job catching
 * up on a backlog) must not make another one's events late.
 */
class PerStreamWatermarksTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final Output output = new Output();

  private static Routed event(String stream, int partition, long ts) {
    return new Routed("k", new Event(stream, ts, new Object[0]), true, 5_000, partition);
  }

  private void send(PerStreamWatermarks generator, Routed routed) {
    generator.onEvent(routed, routed.event().timestamp(), output);
  }

  @Test
  void thePartitionThatIsBehindHoldsEventTimeBack() {
    PerStreamWatermarks generator =
        new PerStreamWatermarks(Duration.ofSeconds(30), Set.of(), now::get);
    send(generator, event("readings", 0, 100_000));
    send(generator, event("readings", 1, 10_000));
    send(generator, event("readings", 0, 200_000));
    generator.onPeriodicEmit(output);
    assertThat(output.last()).isEqualTo(10_000 - 5_000 - 1);
  }

  @Test
  void anIdlePartitionStopsHoldingEventTimeBack() {
    PerStreamWatermarks generator =
        new PerStreamWatermarks(Duration.ofSeconds(30), Set.of(), now::get);
    send(generator, event("readings", 1, 10_000));
    now.addAndGet(31_000);
    send(generator, event("readings", 0, 100_000));
    generator.onPeriodicEmit(output);
    assertThat(output.last()).isEqualTo(100_000 - 5_000 - 1);
  }

  @Test
  void atStartUpAnExpectedStreamNotSeenYetHoldsEventTimeBackUntilItArrives() {
    PerStreamWatermarks generator =
        new PerStreamWatermarks(
            Duration.ofSeconds(30), Set.of("readings", "maintenance"), now::get);
    send(generator, event("readings", 0, 500_000));
    generator.onPeriodicEmit(output);
    assertThat(output.watermarks).isEmpty();

    now.addAndGet(2_000);
    send(generator, event("maintenance", 0, 60_000));
    generator.onPeriodicEmit(output);
    assertThat(output.last()).isEqualTo(60_000 - 5_000 - 1);
  }

  @Test
  void anExpectedStreamThatNeverArrivesHoldsEventTimeOnlyForTheIdleness() {
    PerStreamWatermarks generator =
        new PerStreamWatermarks(
            Duration.ofSeconds(30), Set.of("readings", "maintenance"), now::get);
    send(generator, event("readings", 0, 500_000));
    now.addAndGet(29_000);
    send(generator, event("readings", 0, 510_000));
    generator.onPeriodicEmit(output);
    assertThat(output.watermarks).isEmpty();

    now.addAndGet(1_000);
    generator.onPeriodicEmit(output);
    assertThat(output.last()).isEqualTo(510_000 - 5_000 - 1);
  }

  @Test
  void withoutIdlenessNothingIsAwaited() {
    PerStreamWatermarks generator =
        new PerStreamWatermarks(Duration.ZERO, Set.of("readings", "maintenance"), now::get);
    send(generator, event("readings", 0, 500_000));
    generator.onPeriodicEmit(output);
    assertThat(output.last()).isEqualTo(500_000 - 5_000 - 1);
  }

  @Test
  void aReaderThatOutrunsTheClockEmitsAfterEveryGivenNumberOfEvents() {
    PerStreamWatermarks generator = new PerStreamWatermarks(Duration.ZERO, Set.of(), now::get, 3);
    send(generator, event("readings", 0, 100_000));
    send(generator, event("readings", 0, 110_000));
    assertThat(output.watermarks).isEmpty();

    send(generator, event("readings", 0, 120_000));
    assertThat(output.watermarks).containsExactly(120_000L - 5_000 - 1);

    // The clock's watermark starts the count again.
    send(generator, event("readings", 0, 130_000));
    generator.onPeriodicEmit(output);
    send(generator, event("readings", 0, 140_000));
    send(generator, event("readings", 0, 150_000));
    assertThat(output.watermarks).containsExactly(120_000L - 5_000 - 1, 130_000L - 5_000 - 1);

    send(generator, event("readings", 0, 160_000));
    assertThat(output.last()).isEqualTo(160_000 - 5_000 - 1);
  }

  private static final class Output implements WatermarkOutput {
    final List<Long> watermarks = new ArrayList<>();

    long last() {
      assertThat(watermarks).isNotEmpty();
      return watermarks.get(watermarks.size() - 1);
    }

    @Override
    public void emitWatermark(Watermark watermark) {
      watermarks.add(watermark.getTimestamp());
    }

    @Override
    public void markIdle() {}

    @Override
    public void markActive() {}
  }
}
