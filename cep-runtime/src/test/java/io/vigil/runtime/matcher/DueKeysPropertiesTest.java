package io.vigil.runtime.matcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.event.Event;
import io.vigil.runtime.matcher.EventQueue.Pending;
import io.vigil.runtime.routing.Routed;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The events a watermark passes reach the drains key by key: each key once, in the order of its
 * first event, with its events in the order they were due, whether the keys fill several blocks of
 * the reads ahead or not, and one watermark's keys are not drained again at the next.
 */
class DueKeysPropertiesTest {

  /** One for every try, as an operator keeps one for every watermark. */
  private final DueKeys keys = new DueKeys();

  @Property(tries = 300)
  void drainsEveryKeyOnceWithItsEventsInOrder(
      @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 60) Integer> keyOfEach)
      throws Exception {
    List<Pending> due = new ArrayList<>();
    Map<String, List<Pending>> expected = new LinkedHashMap<>();
    for (int i = 0; i < keyOfEach.size(); i++) {
      String key = "k" + keyOfEach.get(i);
      Pending pending =
          new Pending(i, i, new Routed(key, new Event("s", i, new Object[] {"e" + i}), true, 0));
      due.add(pending);
      expected.computeIfAbsent(key, k -> new ArrayList<>()).add(pending);
    }

    Map<String, List<Pending>> drained = new LinkedHashMap<>();
    keys.drain(
        due,
        (key, events) ->
            assertThat(drained.put(key, List.copyOf(events))).as("drained twice: " + key).isNull());

    assertThat(drained.keySet()).containsExactlyElementsOf(expected.keySet());
    expected.forEach(
        (key, events) -> assertThat(drained.get(key)).containsExactlyElementsOf(events));
  }

  @Property(tries = 50)
  void drainsEveryKeyOfEventsWithoutFields(@ForAll @IntRange(min = 0, max = 3 * 16) int keyCount)
      throws Exception {
    List<Pending> due = new ArrayList<>();
    for (int i = 0; i < keyCount; i++) {
      due.add(new Pending(i, i, new Routed("k" + i, new Event("s", i, new Object[0]), true, 0)));
    }
    List<String> drained = new ArrayList<>();
    new DueKeys().drain(due, (key, events) -> drained.add(key));
    assertThat(drained).hasSize(keyCount);
  }
}
