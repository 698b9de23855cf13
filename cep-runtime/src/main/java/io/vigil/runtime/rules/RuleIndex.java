package io.vigil.runtime.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of the running rules (active versions and draining previous ones) as router
 * and matcher look them up for every event: by stream, by stream and partition spec, and by state
 * id. The {@link RuleBook} builds a new one after every change; lists keep their identity until
 * then, so a caller may cache what it derived from one (the matcher's start indexes do).
 */
final class RuleIndex {

  static final RuleIndex EMPTY = new RuleIndex(List.of(), List.of());

  private final List<RuleBook.ActiveRule> active;
  private final Map<String, List<RuleBook.ActiveRule>> byStream = new HashMap<>();
  private final Map<String, List<RuleBook.ActiveRule>> byStreamAndSpec = new HashMap<>();
  private final Map<String, RuleBook.ActiveRule> byStateId = new HashMap<>();
  private final Map<String, List<RuleBook.Route>> routesByStream = new HashMap<>();
  private final List<RuleBook.ActiveRule> families;

  /**
   * @param drains the draining generations among {@code running}, with the end of their drain
   */
  RuleIndex(Collection<RuleBook.ActiveRule> running, Collection<RuleBook.Drain> drains) {
    this.active = List.copyOf(running);
    List<RuleBook.ActiveRule> units = Families.units(active, drains);
    this.families = units.stream().filter(u -> u.rule() instanceof RuleFamily).toList();
    for (RuleBook.ActiveRule rule : active) {
      for (String stream : rule.rule().streams()) {
        byStream.computeIfAbsent(stream, s -> new ArrayList<>()).add(rule);
      }
    }
    // The matcher's units: a family stands for its members.
    for (RuleBook.ActiveRule unit : units) {
      byStateId.put(unit.stateId(), unit);
      for (String stream : unit.rule().streams()) {
        byStreamAndSpec
            .computeIfAbsent(
                streamAndSpec(stream, unit.rule().partitionSpec()), s -> new ArrayList<>())
            .add(unit);
      }
    }
    byStream.replaceAll((s, l) -> List.copyOf(l));
    byStreamAndSpec.replaceAll((s, l) -> List.copyOf(l));
    byStream.forEach((stream, readers) -> routesByStream.put(stream, routes(readers)));
  }

  private static String streamAndSpec(String stream, String spec) {
    return stream + '\u0000' + spec;
  }

  List<RuleBook.ActiveRule> active() {
    return active;
  }

  List<RuleBook.ActiveRule> readersOf(String stream) {
    return byStream.getOrDefault(stream, List.of());
  }

  /** The families among the matcher's units. */
  List<RuleBook.ActiveRule> families() {
    return families;
  }

  List<RuleBook.ActiveRule> readersOf(String stream, String spec) {
    return byStreamAndSpec.getOrDefault(streamAndSpec(stream, spec), List.of());
  }

  List<RuleBook.Route> routesOf(String stream) {
    return routesByStream.getOrDefault(stream, List.of());
  }

  Optional<RuleBook.ActiveRule> byStateId(String stateId) {
    return Optional.ofNullable(byStateId.get(stateId));
  }

  /** One route per partition spec, keyed by the earliest-activated reader of that spec. */
  private static List<RuleBook.Route> routes(List<RuleBook.ActiveRule> readers) {
    Map<String, RuleBook.Route> bySpec = new LinkedHashMap<>();
    for (RuleBook.ActiveRule active : readers) {
      String spec = active.rule().partitionSpec();
      RuleBook.Route route = bySpec.get(spec);
      if (route == null || active.activeFrom() < route.activeFrom()) {
        bySpec.put(spec, new RuleBook.Route(spec, active.rule(), active.activeFrom()));
      }
    }
    return List.copyOf(bySpec.values());
  }
}
