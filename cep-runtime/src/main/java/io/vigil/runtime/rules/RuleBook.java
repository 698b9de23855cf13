package io.vigil.runtime.rules;

import io.vigil.dsl.schema.StreamSchema;
import io.vigil.runtime.control.ControlJson;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules and streams one parallel instance knows, and the lifecycle decisions on each command:
 * which version is active, whether its partial matches survive (same {@link
 * MatchingRule#matchingFingerprint()} → same {@link RuleGeneration}) or must be dropped. Router and
 * matcher each hold one and apply the same commands in the same order, so they decide alike; what
 * they look up per event comes from an immutable {@link RuleIndex} rebuilt after each change.
 *
 * <p>A worked lifecycle of rule {@code r} (watermark at the switch 10 000, window 5 000):
 *
 * <pre>
 * command                              entry (version, generation)  running (state ids)   released
 * UPSERT r v1                          1, 0   ACTIVE "new"          r/0                   -
 * UPSERT r v2, title changed only      2, 0   "metadata updated"    r/0 (renders as v2)   -
 * UPSERT r v3, pattern changed,
 *   letPartialMatchesFinish            3, 1   "… finish under v2"   r/1, r/0 draining     -
 *   (matcher: drainUntil(r/0, 15 000))
 * (any command at watermark ≥ 15 000:
 *   matcher: endDrains(watermark))     3, 1                         r/1                   r/0
 * UPSERT r v4, pattern changed         4, 2   "… of version 3       r/2                   r/1
 *                                             dropped"
 * DISABLE r v5                         5, 2   DISABLED              -                     r/2
 * </pre>
 *
 * A draining generation starts no new partial match; the matcher clears a released generation's
 * shared buffer and NFA state on every key.
 *
 * <p>Its persistent form is one JSON document per rule or stream in broadcast state ({@link
 * RuleBookJson}); compiled rules are rebuilt from it after a restore.
 */
public final class RuleBook {

  private final RuleVersions versions;
  private final StreamDeclarations streams;
  private RuleIndex index = RuleIndex.EMPTY;

  public RuleBook(RuleBuilder builder) {
    this(builder, RuleLimits.defaults());
  }

  /**
   * @param builder wrapped so that any failure while building becomes a rejection ({@link
   *     GuardedRuleBuilder})
   */
  public RuleBook(RuleBuilder builder, RuleLimits limits) {
    RuleBuilder guarded = GuardedRuleBuilder.of(builder);
    this.versions = new RuleVersions(guarded, limits);
    this.streams = new StreamDeclarations(guarded, limits, versions);
  }

  /**
   * Commands for ids the book did not know that it acknowledged without remembering them ({@link
   * RuleLimits#maxUnknownIds}), since this instance started.
   */
  public long unknownIdsNotKept() {
    return versions.unknownIdsNotKept();
  }

  /** The rules running now (drains of previous versions not counted). */
  public int liveRules() {
    return versions.liveRules();
  }

  /**
   * One rule as known here. {@code generation} names its keyed state: a new generation means fresh
   * partial matches. {@code rule} is empty while the rule is disabled or deleted.
   */
  public record Entry(
      Optional<RuleCommand.UpsertRule> command,
      long generation,
      long version,
      RuleStatus.State state,
      Optional<MatchingRule> rule) {}

  /**
   * A running rule: what matcher and router iterate over.
   *
   * @param stateId {@code ruleGeneration().stateId()}, computed once: the matcher looks it up for
   *     every event and rule
   * @param draining a previous version letting its partial matches finish: it starts none
   */
  public record ActiveRule(
      MatchingRule rule, long generation, long activeFrom, String stateId, boolean draining) {
    public ActiveRule {
      if (!stateId.equals(new RuleGeneration(rule.id(), generation).stateId())) {
        throw new IllegalArgumentException(
            "state id " + stateId + " is not generation " + generation + " of " + rule.id());
      }
    }

    ActiveRule(MatchingRule rule, long generation, long activeFrom, boolean draining) {
      this(
          rule,
          generation,
          activeFrom,
          new RuleGeneration(rule.id(), generation).stateId(),
          draining);
    }

    public RuleGeneration ruleGeneration() {
      return new RuleGeneration(rule.id(), generation);
    }
  }

  /**
   * A previous version whose partial matches may finish ({@code letPartialMatchesFinish}): it
   * starts no new match. {@code until} is the event time after which none can be left (the
   * watermark at the switch plus its window), {@link Long#MIN_VALUE} until the matcher sets it.
   */
  public record Drain(ActiveRule rule, RuleCommand.UpsertRule command, long until) {}

  /**
   * What a command changed.
   *
   * @param released the state generation that must be released on every key, if any
   * @param status the acknowledgement (subtask fields are filled in by the caller)
   */
  public record Outcome(
      String ruleId, long version, RuleStatus.State state, String message, List<Long> released) {
    public Outcome {
      released = List.copyOf(released);
    }

    /** {@link #released} as rule generations. */
    public List<RuleGeneration> releasedGenerations() {
      return released.stream().map(g -> new RuleGeneration(ruleId, g)).toList();
    }
  }

  public Map<String, StreamSchema> streams() {
    return Map.copyOf(streams.schemas());
  }

  public Optional<StreamSchema> stream(String name) {
    return Optional.ofNullable(streams.schemas().get(name));
  }

  public Collection<Entry> entries() {
    return List.copyOf(versions.entries());
  }

  public Optional<Entry> entry(String ruleId) {
    return versions.entry(ruleId);
  }

  /**
   * Where events of a stream go: one route per partition spec among the running rules that read it,
   * in the order the book lists them.
   *
   * @param keyer a rule of that spec, whose routing key is the spec's
   * @param activeFrom the earliest activation among those rules: older events go nowhere
   */
  public record Route(String spec, MatchingRule keyer, long activeFrom) {}

  /** The routes of {@code stream} (see {@link Route}). */
  public List<Route> routesOf(String stream) {
    return index.routesOf(stream);
  }

  /** The running rules that read {@code stream}. */
  public List<ActiveRule> readersOf(String stream) {
    return index.readersOf(stream);
  }

  /**
   * The matcher's units of partition spec {@code spec} that read {@code stream}: running rules,
   * each family standing for its members ({@link #families()}).
   */
  public List<ActiveRule> readersOf(String stream, String spec) {
    return index.readersOf(stream, spec);
  }

  public List<ActiveRule> active() {
    return index.active();
  }

  /** The rule families the matcher runs (see {@link RuleFamily}). */
  public List<ActiveRule> families() {
    return index.families();
  }

  /**
   * The unit the matcher runs under {@code stateId}: a rule generation ({@code
   * <rule>/<generation>}) that is in no family, or a family.
   */
  public Optional<ActiveRule> activeByStateId(String stateId) {
    return index.byStateId(stateId);
  }

  /**
   * Applies one command; the outcomes list one entry per affected rule (a stream may affect many).
   */
  public List<Outcome> apply(RuleCommand command) {
    List<Outcome> outcomes = applyUnindexed(command);
    reindex();
    return outcomes;
  }

  /**
   * {@link #apply} without rebuilding the indexes (loading n rules must not rebuild them n times).
   */
  private List<Outcome> applyUnindexed(RuleCommand command) {
    List<Outcome> outcomes = new ArrayList<>();
    if (command instanceof RuleCommand.DeclareStream declare) {
      outcomes.addAll(streams.declare(declare));
    } else if (command instanceof RuleCommand.UpsertRule upsert) {
      outcomes.add(versions.upsert(upsert, streams.schemas()));
    } else if (command instanceof RuleCommand.DisableRule disable) {
      outcomes.add(versions.stop(disable.ruleId(), disable.version(), RuleStatus.State.DISABLED));
    } else if (command instanceof RuleCommand.DeleteRule delete) {
      long current = versions.entry(delete.ruleId()).map(Entry::version).orElse(0L);
      outcomes.add(versions.stop(delete.ruleId(), current, RuleStatus.State.DELETED));
    }
    return outcomes;
  }

  /** Previous versions whose partial matches are finishing. */
  public List<Drain> drains() {
    return versions.drains();
  }

  /** Sets the event time after which the draining generation {@code stateId} is empty. */
  public void drainUntil(String stateId, long until) {
    versions.drainUntil(stateId, until);
    // A draining family member's start window follows from it.
    reindex();
  }

  /**
   * Ends the drains whose partial matches have all completed or timed out by {@code watermark};
   * returns their generations (to be released).
   */
  public List<RuleGeneration> endDrains(long watermark) {
    List<RuleGeneration> ended = versions.endDrains(watermark);
    if (!ended.isEmpty()) {
      reindex();
    }
    return ended;
  }

  private void reindex() {
    index = new RuleIndex(versions.running(), versions.drains());
  }

  // ------------------------------------------------------------------ persistent form

  /**
   * Loads the book once per operator instance: the rules kept in broadcast state (a restore) win
   * over the initial rule set read from the control topic at start-up.
   */
  public void load(Iterable<Map.Entry<String, String>> storedEntries, List<RuleCommand> initial) {
    Map<String, String> stored = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : storedEntries) {
      stored.put(e.getKey(), e.getValue());
    }
    for (RuleCommand command : initial) {
      if (!stored.containsKey(storageKey(command))) {
        applyUnindexed(command);
      }
    }
    // Indexes once, at its end.
    restore(stored);
  }

  /** The broadcast-state key of a rule entry or stream declaration. */
  public static String storageKey(RuleCommand command) {
    return command.topicKey();
  }

  /** The persistent form of the entry or stream named by {@code storageKey}. */
  public Optional<String> serialize(String storageKey) {
    if (storageKey.startsWith(RuleCommand.STREAM_KEY_PREFIX)) {
      return streams
          .command(storageKey.substring(RuleCommand.STREAM_KEY_PREFIX.length()))
          .map(RuleBookJson::writeStream);
    }
    return versions
        .entry(storageKey)
        .map(entry -> RuleBookJson.write(storageKey, entry, versions.drainsOf(storageKey)));
  }

  /**
   * Rebuilds the book from its persistent form (after a restore). Streams first, then rules; a rule
   * that no longer compiles is reported in the returned outcomes and left stopped.
   */
  public List<Outcome> restore(Map<String, String> stored) {
    List<Outcome> outcomes = new ArrayList<>();
    for (Map.Entry<String, String> e : stored.entrySet()) {
      if (e.getKey().startsWith(RuleCommand.STREAM_KEY_PREFIX)) {
        try {
          outcomes.addAll(streams.declare(RuleBookJson.readStream(e.getValue())));
        } catch (ControlJson.InvalidCommandException ex) {
          throw new IllegalStateException("corrupt stored stream " + e.getKey(), ex);
        }
      }
    }
    for (Map.Entry<String, String> e : stored.entrySet()) {
      if (e.getKey().startsWith(RuleCommand.STREAM_KEY_PREFIX)) {
        continue;
      }
      RuleBookJson.StoredRule rule;
      try {
        rule = RuleBookJson.read(e.getValue());
      } catch (Exception ex) {
        throw new IllegalStateException("corrupt stored rule " + e.getKey(), ex);
      }
      outcomes.addAll(versions.restore(e.getKey(), rule, streams.schemas()));
    }
    reindex();
    return outcomes;
  }
}
