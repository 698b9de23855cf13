package io.vigil.runtime.matcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.event.Event;
import io.vigil.runtime.routing.Routed;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The matcher's queue hands events out as a stable sort by timestamp would, and knows which keys
 * have reached the per-key cap.
 */
class EventQueuePropertiesTest {

  /** An event at {@code ts} ({@code ts < 0}: a watermark at {@code -ts}). */
  @Property(tries = 300)
  void takesEventsOutByTimeThenArrival(@ForAll("steps") List<Long> steps) {
    EventQueue queue = new EventQueue();
    List<Routed> expectedAll = new ArrayList<>();
    List<Routed> taken = new ArrayList<>();
    List<Routed> waiting = new ArrayList<>();
    int n = 0;
    for (long step : steps) {
      if (step >= 0) {
        Routed routed = routed(step, n++);
        queue.add(step, routed);
        waiting.add(routed);
      } else {
        long watermark = -step;
        List<Routed> due = new ArrayList<>();
        for (Routed r : waiting) {
          if (r.event().timestamp() <= watermark) {
            due.add(r);
          }
        }
        // List.sort is stable: arrival order within a timestamp.
        due.sort(Comparator.comparingLong(r -> r.event().timestamp()));
        waiting.removeAll(due);
        expectedAll.addAll(due);
        queue.takeUpTo(watermark).forEach(p -> taken.add(p.routed()));
        assertThat(taken).containsExactlyElementsOf(expectedAll);
      }
    }
    List<Routed> rest = new ArrayList<>(waiting);
    rest.sort(Comparator.comparingLong(r -> r.event().timestamp()));
    assertThat(queue.inOrder()).containsExactlyElementsOf(rest);
    assertThat(queue.size()).isEqualTo(rest.size());
  }

  /**
   * Whether a key has at least {@code cap} events queued is answered exactly, whether the queue is
   * small (nothing counted), large (counted) or has shrunk back, and whether keys share a slot of
   * the queue's hash counts (one or two slots) or not.
   */
  @Property(tries = 300)
  void knowsWhichKeysHaveReachedTheirCap(
      @ForAll("steps") List<Long> steps,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 12) int cap,
      @ForAll("slots") int slots) {
    EventQueue queue = new EventQueue(slots);
    List<Routed> waiting = new ArrayList<>();
    int n = 0;
    for (long step : steps) {
      if (step >= 0) {
        Routed routed = routed(step, n++);
        queue.add(step, routed);
        waiting.add(routed);
      } else {
        queue.takeUpTo(-step).forEach(p -> waiting.remove(p.routed()));
      }
      for (String key : List.of("k0", "k1", "k2", "k9")) {
        long queued = waiting.stream().filter(r -> r.key().equals(key)).count();
        assertThat(queue.atLeast(key, cap)).as("%s with cap %d", key, cap).isEqualTo(queued >= cap);
      }
    }
  }

  @Provide
  Arbitrary<Integer> slots() {
    return Arbitraries.of(1, 2, 4096);
  }

  @Provide
  Arbitrary<List<Long>> steps() {
    // Few distinct times (ties) and arrivals out of order; one step in five a watermark.
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, Arbitraries.longs().between(0, 30)),
            net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(-30, -1)))
        .list()
        .ofMaxSize(80);
  }

  private static Routed routed(long ts, int n) {
    return new Routed("k" + (n % 3), new Event("s", ts, new Object[] {"e" + n}), true, 0);
  }
}
