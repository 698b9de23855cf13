package io.vigil.runtime.rules;

import io.vigil.runtime.rules.RuleBook.Drain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The previous versions of each rule whose partial matches are finishing ({@code
 * letPartialMatchesFinish}): each starts no new match and ends when the watermark passes its {@link
 * Drain#until()}, or at once when its rule is replaced or stopped again.
 */
final class Drains {

  private final Map<String, List<Drain>> byRule = new LinkedHashMap<>();

  void add(Drain drain) {
    byRule.computeIfAbsent(drain.rule().rule().id(), id -> new ArrayList<>()).add(drain);
  }

  List<Drain> of(String ruleId) {
    return byRule.getOrDefault(ruleId, List.of());
  }

  List<Drain> all() {
    List<Drain> out = new ArrayList<>();
    byRule.values().forEach(out::addAll);
    return out;
  }

  /** Ends every drain of {@code ruleId}; returns their generations (to be released). */
  List<Long> end(String ruleId) {
    List<Drain> ended = byRule.remove(ruleId);
    return ended == null ? List.of() : ended.stream().map(d -> d.rule().generation()).toList();
  }

  /** Sets the event time after which the draining generation {@code stateId} is empty. */
  void until(String stateId, long until) {
    byRule
        .values()
        .forEach(
            list ->
                list.replaceAll(
                    d ->
                        d.rule().stateId().equals(stateId)
                            ? new Drain(d.rule(), d.command(), until)
                            : d));
  }

  /** Ends the drains whose {@code until} the watermark has reached; returns their generations. */
  List<RuleGeneration> endBy(long watermark) {
    List<RuleGeneration> ended = new ArrayList<>();
    for (List<Drain> list : byRule.values()) {
      list.removeIf(
          d -> {
            boolean over = d.until() != Long.MIN_VALUE && d.until() <= watermark;
            if (over) {
              ended.add(d.rule().ruleGeneration());
            }
            return over;
          });
    }
    byRule.values().removeIf(List::isEmpty);
    return ended;
  }
}
