package io.vigil.runtime.drools;

import io.vigil.compiler.drools.DecisionSession;
import io.vigil.compiler.event.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.metrics.Counter;

/**
 * The Drools sessions of one parallel instance of {@link DecisionSessions}, per rule set and key: a
 * cache of at most {@link #PER_RULE_SET} per rule set, least recently used closed first. A session
 * not in it (after a restore, a new version, an eviction or a cut evaluation) is built again by
 * replaying the key's facts, which are what Flink state holds.
 */
final class KeySessions {

  /** Sessions kept in memory per rule set and subtask; others are replayed from state. */
  static final int PER_RULE_SET = 1024;

  private final Map<String, Cache> byRuleSet = new HashMap<>();
  private final Counter replayed;

  KeySessions(Counter replayed) {
    this.replayed = replayed;
  }

  /** The cached session of {@code rule} and {@code key}, if any. */
  Optional<DecisionSession> cached(DecisionMatchingRule rule, String key) {
    Cache cache = byRuleSet.get(rule.id());
    return Optional.ofNullable(cache == null ? null : cache.get(key));
  }

  /**
   * The session of {@code rule} and {@code key}; when not cached, replayed from {@code live} with
   * its clock moved on to {@code clock} (the time it had reached), what it raised meanwhile
   * dropped: the originals were emitted when the facts came and as that time passed.
   */
  DecisionSession open(DecisionMatchingRule rule, String key, List<Event> live, long clock) {
    Cache cache = byRuleSet.computeIfAbsent(rule.id(), id -> new Cache());
    DecisionSession session = cache.get(key);
    if (session != null) {
      return session;
    }
    replayed.inc();
    List<Event> kept = new ArrayList<>(live);
    long passed = clock;
    while (true) {
      session = rule.ruleSet().openSession();
      int replayedFacts = 0;
      try {
        for (; replayedFacts < kept.size(); replayedFacts++) {
          // What the rules raise now was raised when the fact first came.
          session.insert(kept.get(replayedFacts));
        }
        session.advanceTo(passed);
        cache.put(key, session);
        return session;
      } catch (RuntimeException e) {
        session.close();
        if (replayedFacts < kept.size()) {
          // A fact that cannot be replayed (cut now, or of a stream a new version no longer
          // reads) is left out.
          kept.remove(replayedFacts);
        } else {
          // The time that had passed cannot be replayed: the clock stays at the last fact.
          passed = Long.MIN_VALUE;
        }
      }
    }
  }

  /** Closes and forgets the session of {@code rule} and {@code key} (it is replayed next time). */
  void drop(DecisionMatchingRule rule, String key) {
    Cache cache = byRuleSet.get(rule.id());
    DecisionSession session = cache == null ? null : cache.remove(key);
    if (session != null) {
      session.close();
    }
  }

  /** Closes every session of the rule set {@code ruleId}. */
  void dropRuleSet(String ruleId) {
    Cache cache = byRuleSet.remove(ruleId);
    if (cache != null) {
      cache.values().forEach(DecisionSession::close);
    }
  }

  private static final class Cache extends LinkedHashMap<String, DecisionSession> {
    private static final long serialVersionUID = 1L;

    Cache() {
      super(16, 0.75f, true);
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, DecisionSession> eldest) {
      if (size() > PER_RULE_SET) {
        eldest.getValue().close();
        return true;
      }
      return false;
    }
  }
}
