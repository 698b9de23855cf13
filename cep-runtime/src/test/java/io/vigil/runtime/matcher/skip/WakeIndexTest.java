package io.vigil.runtime.matcher.skip;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.event.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * A key's wake index holds each live rule in one of three ways (indexed by text, woken by every
 * event, not known), whatever sequence of changes brought it there; a drain of one event visits
 * exactly the rules woken by every event and those not known.
 */
class WakeIndexTest {

  private static final List<String> RULES = List.of("r1/1", "r2/1", "r3/1", "r4/2");

  /** One change to the index: {@code kind} 0 forget, 1 woken by every event, 2 by text, 3 gone. */
  record Change(int kind, String rule) {}

  /** How a model of the index holds a rule. */
  private enum Held {
    UNKNOWN,
    EVERY_EVENT,
    BY_TEXT
  }

  @Provide
  Arbitrary<List<Change>> changes() {
    return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.of(RULES))
        .as(Change::new)
        .list()
        .ofMaxSize(40);
  }

  @Property
  void aDrainOfOneEventVisitsTheRulesNotIndexedByText(
      @ForAll("changes") List<Change> changes, @ForAll boolean startWithAll) {
    List<String> live = startWithAll ? RULES : List.of();
    WakeIndex index = new WakeIndex(live);
    Map<String, Held> model = new HashMap<>();
    live.forEach(rule -> model.put(rule, Held.UNKNOWN));

    for (Change change : changes) {
      switch (change.kind()) {
        case 0 -> {
          index.forget(change.rule());
          model.put(change.rule(), Held.UNKNOWN);
        }
        case 1 -> {
          index.setWokenByEveryEvent(change.rule());
          model.put(change.rule(), Held.EVERY_EVENT);
        }
        case 2 -> {
          index.set(change.rule(), List.of(new NoOpSteps.Wake("taps", 1, change.rule())));
          model.put(change.rule(), Held.BY_TEXT);
        }
        default -> {
          index.remove(change.rule());
          model.remove(change.rule());
        }
      }
    }

    assertThat(index.visitedByEveryEvent())
        .containsExactlyInAnyOrderElementsOf(held(model, Held.UNKNOWN, Held.EVERY_EVENT));
    assertThat(index.unknown()).containsExactlyInAnyOrderElementsOf(held(model, Held.UNKNOWN));
    assertThat(index.wokenByEveryEvent())
        .containsExactlyInAnyOrderElementsOf(held(model, Held.EVERY_EVENT));
    for (String rule : RULES) {
      Held held = model.get(rule);
      assertThat(index.knows(rule)).isEqualTo(held == Held.EVERY_EVENT || held == Held.BY_TEXT);
    }
  }

  @Test
  void aRuleIndexedByTextIsWokenOnlyByAnEventHoldingIt() {
    WakeIndex index = new WakeIndex(List.of("r1/1", "r2/1"));
    index.set("r1/1", List.of(new NoOpSteps.Wake("taps", 0, "A")));
    index.setWokenByEveryEvent("r2/1");

    assertThat(index.visitedByEveryEvent()).containsExactly("r2/1");
    assertThat(index.unknown()).isEmpty();
    assertThat(woken(index, "A")).containsExactly("r1/1");
    assertThat(woken(index, "B")).isEmpty();
  }

  private static List<String> woken(WakeIndex index, String kind) {
    List<String> woken = new ArrayList<>();
    index.woken(new Event("taps", 0L, new Object[] {kind}), woken::add);
    return woken;
  }

  private static Set<String> held(Map<String, Held> model, Held... ways) {
    Set<String> rules = new HashSet<>();
    Set<Held> wanted = Set.of(ways);
    model.forEach(
        (rule, held) -> {
          if (wanted.contains(held)) {
            rules.add(rule);
          }
        });
    return rules;
  }
}
