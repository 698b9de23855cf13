package io.vigil.runtime.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Groups running rules into the units the matcher runs: every rule with a family ({@link
 * RuleFamily#keyOf}: a final-stage or a condition family) runs inside the family of its spec and
 * fingerprint, even alone (so a rule's state does not move when others join or leave); every other
 * rule runs on its own.
 */
final class Families {

  private Families() {}

  /** The units, in the order of their first rule in {@code running}. */
  static List<RuleBook.ActiveRule> units(
      List<RuleBook.ActiveRule> running, java.util.Collection<RuleBook.Drain> drains) {
    Map<String, Long> drainEnds = new HashMap<>();
    for (RuleBook.Drain d : drains) {
      drainEnds.put(d.rule().stateId(), d.until());
    }
    Map<String, List<RuleFamily.Member>> byKey = new LinkedHashMap<>();
    List<Object> order = new ArrayList<>();
    for (RuleBook.ActiveRule active : running) {
      Optional<String> key = RuleFamily.keyOf(active.rule());
      if (key.isEmpty()) {
        order.add(active);
        continue;
      }
      List<RuleFamily.Member> members = byKey.get(key.get());
      if (members == null) {
        members = new ArrayList<>();
        byKey.put(key.get(), members);
        order.add(key.get());
      }
      members.add(member(active, drainEnds));
    }
    List<RuleBook.ActiveRule> units = new ArrayList<>();
    for (Object o : order) {
      if (o instanceof RuleBook.ActiveRule rule) {
        units.add(rule);
      } else {
        String key = (String) o;
        List<RuleFamily.Member> members = byKey.get(key);
        long activeFrom = Long.MAX_VALUE;
        for (RuleFamily.Member m : members) {
          activeFrom = Math.min(activeFrom, m.active().activeFrom());
        }
        // Never draining as a whole: a draining member is limited by its own start window.
        units.add(new RuleBook.ActiveRule(new RuleFamily(key, members), 0, activeFrom, false));
      }
    }
    return List.copyOf(units);
  }

  private static RuleFamily.Member member(RuleBook.ActiveRule active, Map<String, Long> drainEnds) {
    long startsUntil = Long.MAX_VALUE;
    Long until = drainEnds.get(active.stateId());
    if (active.draining() && until != null && until != Long.MIN_VALUE && until != Long.MAX_VALUE) {
      // The drain ends one window after the watermark of the switch; the previous version's
      // partial matches all started by that watermark, later events started none.
      startsUntil = until - window(active);
    }
    return new RuleFamily.Member(active, active.activeFrom(), startsUntil);
  }

  /** The rule's {@code within} (a family member always has one). */
  private static long window(RuleBook.ActiveRule active) {
    return active.rule().pattern().getWindowSize().map(java.time.Duration::toMillis).orElse(0L);
  }
}
