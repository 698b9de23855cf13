package io.vigil.runtime.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RangeReadAheadTest {

  private static List<LineRange> ranges(int count) {
    List<LineRange> ranges = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ranges.add(new LineRange(i * 10L, i * 10L + 10));
    }
    return ranges;
  }

  /** Range i gives {@code sizes[i]} items, named by range and position. */
  private static RangeReadAhead.RangeReading<String> giving(int... sizes) {
    return (range, out) -> {
      int index = (int) (range.start() / 10);
      for (int i = 0; i < sizes[index]; i++) {
        out.accept(index + "." + i);
      }
    };
  }

  @Property(tries = 200)
  void eachRangeGivesItsOwnItemsInOrderWhateverTheBatches(
      @ForAll @IntRange(min = 0, max = 9) int first,
      @ForAll @IntRange(min = 0, max = 9) int second,
      @ForAll @IntRange(min = 0, max = 9) int third,
      @ForAll @IntRange(min = 1, max = 4) int batches,
      @ForAll @IntRange(min = 1, max = 4) int items)
      throws Exception {
    int[] sizes = {first, second, third};
    List<LineRange> ranges = ranges(3);
    try (RangeReadAhead<String> ahead =
        new RangeReadAhead<>(
            ranges, giving(sizes), new RangeReadAhead.Bound(batches, items), "test-read-ahead")) {
      for (int r = 0; r < 3; r++) {
        List<String> taken = new ArrayList<>();
        ahead.take(ranges.get(r), taken::add);

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < sizes[r]; i++) {
          expected.add(r + "." + i);
        }
        assertThat(taken).containsExactlyElementsOf(expected);
      }
    }
  }

  @Test
  void theReadingStaysWithinItsBoundAheadOfWhatWasTaken() throws Exception {
    AtomicInteger given = new AtomicInteger();
    RangeReadAhead.RangeReading<Integer> counting =
        (range, out) -> {
          for (int i = 0; i < 1_000; i++) {
            out.accept(given.incrementAndGet());
          }
        };
    List<LineRange> ranges = ranges(3);
    try (RangeReadAhead<Integer> ahead =
        new RangeReadAhead<>(ranges, counting, new RangeReadAhead.Bound(4, 10), "test")) {
      ahead.take(ranges.get(0), item -> {});

      // Four batches of ten wait; the reading holds the fifth, full, until there is room.
      await().atMost(Duration.ofSeconds(10)).until(() -> given.get() >= 1_050);
      Thread.sleep(200);
      assertThat(given.get()).isEqualTo(1_050);

      AtomicInteger taken = new AtomicInteger();
      ahead.take(ranges.get(1), item -> taken.incrementAndGet());
      assertThat(taken.get()).isEqualTo(1_000);
    }
  }

  @Test
  void aFailureOfTheReadingIsThrownWhereItsRangeIsTaken() throws Exception {
    RangeReadAhead.RangeReading<String> failing =
        (range, out) -> {
          if (range.start() == 10) {
            out.accept("before");
            throw new IOException("disk gone");
          }
          out.accept("fine");
        };
    List<LineRange> ranges = ranges(3);
    try (RangeReadAhead<String> ahead =
        new RangeReadAhead<>(ranges, failing, new RangeReadAhead.Bound(8, 1), "test")) {
      List<String> taken = new ArrayList<>();
      ahead.take(ranges.get(0), taken::add);
      assertThatThrownBy(() -> ahead.take(ranges.get(1), taken::add))
          .isInstanceOf(IOException.class)
          .hasMessage("disk gone");
      assertThat(taken).containsExactly("fine", "before");
    }
  }

  @Test
  void aRangeOutOfOrderIsRefused() throws Exception {
    List<LineRange> ranges = ranges(2);
    try (RangeReadAhead<String> ahead =
        new RangeReadAhead<>(ranges, giving(1, 1), new RangeReadAhead.Bound(2, 2), "test")) {
      assertThatThrownBy(() -> ahead.take(ranges.get(1), item -> {}))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("out of order");
    }
  }

  @Test
  void closingStopsAReadingThatWaitsForRoom() throws Exception {
    AtomicReference<Thread> reader = new AtomicReference<>();
    RangeReadAhead.RangeReading<Integer> endless =
        (range, out) -> {
          reader.set(Thread.currentThread());
          for (int i = 0; ; i++) {
            out.accept(i);
          }
        };
    List<LineRange> ranges = ranges(2);
    RangeReadAhead<Integer> ahead =
        new RangeReadAhead<>(ranges, endless, new RangeReadAhead.Bound(2, 5), "test");
    Thread taker =
        new Thread(
            () -> {
              try {
                ahead.take(ranges.get(0), item -> {});
              } catch (Exception e) {
                // interrupted below
              }
            });
    taker.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> reader.get() != null);

    ahead.close();
    taker.interrupt();
    taker.join(10_000);

    assertThat(reader.get().isAlive()).isFalse();
    assertThat(taker.isAlive()).isFalse();
  }
}
