package io.vigil.runtime.rules;

import io.vigil.compiler.rule.ConditionFamily;
import io.vigil.compiler.rule.FinalStageFamily;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Groups running rules into the units the matcher runs: every rule with a family ({@link #keyOf}: a
 * final-stage or a condition family) runs inside the family of its spec and fingerprint, even alone
 * (so a rule's state does not move when others join or leave); every other rule runs on its own.
 */
final class Families {

  /** Family ids start with it; rule ids cannot (a rule id is an identifier). */
  static final String ID_PREFIX = "family:";

  private Families() {}

  /** The units, in the order of their first rule in {@code running}. */
  static List<RuleBook.ActiveRule> units(
      List<RuleBook.ActiveRule> running, Collection<RuleBook.Drain> drains) {
    Map<String, Long> drainEnds = new HashMap<>();
    for (RuleBook.Drain d : drains) {
      drainEnds.put(d.rule().stateId(), d.until());
    }
    Map<String, List<RuleFamily.Member>> byKey = new LinkedHashMap<>();
    List<Object> order = new ArrayList<>();
    for (RuleBook.ActiveRule active : running) {
      Optional<String> key = keyOf(active.rule());
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
    return active.rule().pattern().getWindowSize().map(Duration::toMillis).orElse(0L);
  }

  /** The family key of a rule: its spec and family fingerprint; empty if it has no family. */
  static Optional<String> keyOf(MatchingRule rule) {
    Optional<String> fingerprint =
        rule.finalStageFamily()
            .map(FinalStageFamily::fingerprint)
            .or(() -> rule.conditionFamily().map(ConditionFamily::fingerprint));
    return fingerprint.map(f -> rule.partitionSpec() + '\u0000' + f);
  }

  /**
   * The id of the family of key {@code key}: {@link #ID_PREFIX} and a hash of the key, stable
   * across instances, restarts and versions.
   */
  static String idOf(String key) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return ID_PREFIX + HexFormat.of().formatHex(hash, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
