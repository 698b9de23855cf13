package io.vigil.runtime.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Events dated far ahead are kept out of event time; ordinary ones are let through. */
class EventTimeGuardTest {

  private static final long HOUR = 3_600_000;
  private static final long T0 = Instant.parse("2026-01-05T10:00:00Z").toEpochMilli();

  private final AtomicLong clock = new AtomicLong(T0);

  private EventTimeGuard guard(Duration aheadOfWatermark, Duration aheadOfClock, Duration idle) {
    return new EventTimeGuard(
        new EventTimeLimits(aheadOfWatermark, aheadOfClock), idle, clock::get);
  }

  @Test
  void anEventFarAheadOfItsStreamsWatermarkIsRefusedAndDoesNotMoveIt() {
    EventTimeGuard guard = guard(Duration.ofHours(1), Duration.ZERO, Duration.ZERO);
    assertThat(guard.check("payments", T0, 0)).isEmpty();
    assertThat(guard.check("payments", T0 + 5 * 60_000, 0)).isEmpty();
    long years = Instant.parse("2046-01-01T00:00:00Z").toEpochMilli();
    assertThat(guard.check("payments", years, 0))
        .get()
        .asString()
        .contains("2046-01-01T00:00:00Z")
        .contains("ahead of stream payments's watermark 2026-01-05T10:04:59.999Z")
        .contains("events.max-ahead-of-watermark");
    // The refused event did not move the watermark: the next ordinary event passes.
    assertThat(guard.check("payments", T0 + 6 * 60_000, 0)).isEmpty();
    // Within the limit (the watermark is 10:05:59.999, the lateness 0).
    assertThat(guard.check("payments", T0 + 6 * 60_000 + HOUR - 1, 0)).isEmpty();
  }

  @Test
  void theLimitCountsFromTheWatermarkSoTheStreamsLatenessWidensIt() {
    EventTimeGuard guard = guard(Duration.ofHours(1), Duration.ZERO, Duration.ZERO);
    guard.check("readings", T0, 30 * 60_000);
    // Watermark: T0 - 30 min - 1 ms; limit: that plus 1 h.
    assertThat(guard.check("readings", T0 + 30 * 60_000 - 1, 30 * 60_000)).isEmpty();
    assertThat(guard.check("readings", T0 + 2 * HOUR, 30 * 60_000)).isPresent();
  }

  @Test
  void eachStreamHasItsOwnWatermark() {
    EventTimeGuard guard = guard(Duration.ofHours(1), Duration.ZERO, Duration.ZERO);
    guard.check("a", T0, 0);
    // The first event of another stream has nothing to be compared with.
    assertThat(guard.check("b", T0 + 10 * HOUR, 0)).isEmpty();
    assertThat(guard.check("a", T0 + 10 * HOUR, 0)).isPresent();
  }

  @Test
  void anEventFarAheadOfTheClockIsRefusedEvenAsTheFirstOfItsStream() {
    EventTimeGuard guard = guard(Duration.ofDays(1), Duration.ofHours(1), Duration.ofSeconds(30));
    assertThat(guard.check("payments", T0 + 2 * HOUR, 0))
        .get()
        .asString()
        .contains("ahead of the wall clock 2026-01-05T10:00:00Z")
        .contains("events.max-ahead-of-clock");
    assertThat(guard.check("payments", T0 + HOUR, 0)).isEmpty();
  }

  @Test
  void aStreamThatWasIdleIsComparedWithTheClockOnly() {
    EventTimeGuard guard = guard(Duration.ofHours(1), Duration.ofHours(1), Duration.ofSeconds(30));
    assertThat(guard.check("weekly", T0 - 7 * 24 * HOUR, 0)).isEmpty();
    // Still active: a week later in event time is far ahead of its watermark.
    assertThat(guard.check("weekly", T0, 0)).isPresent();
    clock.addAndGet(30_000);
    // Idle for 30 s of processing time: it holds nothing back, the clock is the reference.
    assertThat(guard.check("weekly", T0, 0)).isEmpty();
  }

  @Property
  void theComparisonIsExactForEveryTimestampAndLateness(
      @ForAll long first, @ForAll long next, @ForAll @LongRange(min = 0) long lateness) {
    EventTimeGuard guard = guard(Duration.ofHours(1), Duration.ZERO, Duration.ZERO);
    guard.check("s", first, lateness);
    // The same arithmetic without overflow: sums beyond the long range stop at its ends.
    BigInteger watermark =
        clamp(BigInteger.valueOf(first).subtract(clamp(BigInteger.valueOf(lateness).add(ONE))));
    BigInteger limit = clamp(watermark.add(BigInteger.valueOf(HOUR)));
    assertThat(guard.check("s", next, lateness).isPresent())
        .isEqualTo(BigInteger.valueOf(next).compareTo(limit) > 0);
  }

  private static final BigInteger ONE = BigInteger.ONE;

  private static BigInteger clamp(BigInteger value) {
    return value.max(BigInteger.valueOf(Long.MIN_VALUE)).min(BigInteger.valueOf(Long.MAX_VALUE));
  }
}
