package io.vigil.runtime.rules;

import io.vigil.dsl.schema.StreamSchema;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import io.vigil.runtime.rules.RuleBook.ActiveRule;
import io.vigil.runtime.rules.RuleBook.Drain;
import io.vigil.runtime.rules.RuleBook.Entry;
import io.vigil.runtime.rules.RuleBook.Outcome;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rule side of the {@link RuleBook}: one {@link Entry} per rule id, the previous versions still
 * draining, and the decisions on each rule command (version order, limits, same or new {@link
 * RuleGeneration}, drain or release). Streams and the lookup index stay with the book.
 */
final class RuleVersions {

  private final RuleBuilder builder;
  private final RuleLimits limits;
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final Drains drains = new Drains();
  private long unknownIdsNotKept;

  RuleVersions(RuleBuilder builder, RuleLimits limits) {
    this.builder = builder;
    this.limits = limits;
  }

  /**
   * Commands for ids the book did not know that it acknowledged without remembering them ({@link
   * RuleLimits#maxUnknownIds}), since this instance started.
   */
  long unknownIdsNotKept() {
    return unknownIdsNotKept;
  }

  /** The rules running now (drains of previous versions not counted). */
  int liveRules() {
    int live = 0;
    for (Entry entry : entries.values()) {
      if (entry.rule().isPresent()) {
        live++;
      }
    }
    return live;
  }

  Optional<Entry> entry(String ruleId) {
    return Optional.ofNullable(entries.get(ruleId));
  }

  Collection<Entry> entries() {
    return entries.values();
  }

  List<Drain> drainsOf(String ruleId) {
    return drains.of(ruleId);
  }

  /** The running rules: each entry's active version, then the draining previous versions. */
  List<ActiveRule> running() {
    List<ActiveRule> running = new ArrayList<>();
    for (Entry entry : entries.values()) {
      entry
          .rule()
          .ifPresent(
              rule ->
                  running.add(
                      new ActiveRule(
                          rule,
                          entry.generation(),
                          entry.command().orElseThrow().activeFrom(),
                          false)));
    }
    drains.all().forEach(d -> running.add(d.rule()));
    return running;
  }

  Outcome upsert(RuleCommand.UpsertRule upsert, Map<String, StreamSchema> streams) {
    Entry current = entries.get(upsert.ruleId());
    if (current != null && current.version() > upsert.version()) {
      return new Outcome(
          upsert.ruleId(),
          upsert.version(),
          RuleStatus.State.REJECTED,
          "version " + upsert.version() + " is older than version " + current.version(),
          List.of());
    }
    if (current != null
        && current.version() == upsert.version()
        && current.command().map(c -> c.source().equals(upsert.source())).orElse(false)) {
      // A replay of the compacted topic: acknowledge, change nothing.
      return new Outcome(
          upsert.ruleId(), upsert.version(), current.state(), "unchanged", List.of());
    }
    long currentVersion = current == null ? 0 : current.version();
    if (limits.jumpsTooFar(currentVersion, upsert.version())) {
      return new Outcome(
          upsert.ruleId(),
          upsert.version(),
          RuleStatus.State.REJECTED,
          tooFar(upsert.version(), currentVersion),
          List.of());
    }
    boolean starts = current == null || current.rule().isEmpty();
    // Fewer entries than the limit: no need to count the live ones among them.
    if (starts && entries.size() >= limits.maxLiveRules() && liveRules() >= limits.maxLiveRules()) {
      return new Outcome(
          upsert.ruleId(),
          upsert.version(),
          RuleStatus.State.REJECTED,
          "the job already runs "
              + limits.maxLiveRules()
              + " rules, its limit (rules.max-live): disable or delete one first",
          List.of());
    }
    return rebuild(current, upsert, streams);
  }

  /**
   * The running rules but {@code ruleId}, read when iterated: most rules never look at them, and
   * copying them for each of a thousand rules loaded at start-up took longer than loading them.
   */
  private java.util.Collection<MatchingRule> othersThan(String ruleId) {
    java.util.function.Supplier<java.util.stream.Stream<MatchingRule>> others =
        () ->
            entries.entrySet().stream()
                .filter(e -> !e.getKey().equals(ruleId))
                .flatMap(e -> e.getValue().rule().stream());
    return new java.util.AbstractCollection<>() {
      @Override
      public java.util.Iterator<MatchingRule> iterator() {
        return others.get().iterator();
      }

      @Override
      public int size() {
        return (int) others.get().count();
      }
    };
  }

  String tooFar(long version, long current) {
    return "version "
        + version
        + " is more than "
        + limits.maxVersionJump()
        + " above the current version "
        + current
        + " (rules.max-version-jump)";
  }

  Outcome rebuild(Entry current, RuleCommand.UpsertRule upsert, Map<String, StreamSchema> streams) {
    MatchingRule rule;
    try {
      rule = builder.buildRule(upsert, streams);
    } catch (RuleRejectedException e) {
      return new Outcome(
          upsert.ruleId(), upsert.version(), RuleStatus.State.REJECTED, e.getMessage(), List.of());
    }
    Optional<String> refused = rule.refusedBeside(othersThan(upsert.ruleId()));
    if (refused.isPresent()) {
      return new Outcome(
          upsert.ruleId(), upsert.version(), RuleStatus.State.REJECTED, refused.get(), List.of());
    }
    if (current == null) {
      entries.put(
          upsert.ruleId(),
          new Entry(
              Optional.of(upsert),
              0,
              upsert.version(),
              RuleStatus.State.ACTIVE,
              Optional.of(rule)));
      return new Outcome(
          upsert.ruleId(), upsert.version(), RuleStatus.State.ACTIVE, "new", List.of());
    }
    boolean running = current.rule().isPresent();
    boolean samePattern =
        running && current.rule().get().matchingFingerprint().equals(rule.matchingFingerprint());
    if (samePattern) {
      // Only metadata changed: keep the generation and with it every partial match. The
      // activation time of the first version stays, its partial matches are older anyway.
      RuleCommand.UpsertRule kept =
          upsert.withActiveFrom(current.command().orElseThrow().activeFrom());
      entries.put(
          upsert.ruleId(),
          new Entry(
              Optional.of(kept),
              current.generation(),
              upsert.version(),
              RuleStatus.State.ACTIVE,
              Optional.of(rule)));
      return new Outcome(
          upsert.ruleId(),
          upsert.version(),
          RuleStatus.State.ACTIVE,
          "metadata updated, partial matches kept",
          List.of());
    }
    entries.put(
        upsert.ruleId(),
        new Entry(
            Optional.of(upsert),
            current.generation() + 1,
            upsert.version(),
            RuleStatus.State.ACTIVE,
            Optional.of(rule)));
    List<Long> released = new ArrayList<>();
    String message;
    if (running && upsert.letPartialMatchesFinish()) {
      // The previous version keeps its partial matches (no new starts) until they complete or
      // time out; no match mixes versions.
      RuleCommand.UpsertRule previous = current.command().orElseThrow();
      drains.add(
          new Drain(
              new ActiveRule(
                  current.rule().get(), current.generation(), previous.activeFrom(), true),
              previous,
              Long.MIN_VALUE));
      message =
          "pattern changed, partial matches of version "
              + current.version()
              + " finish under version "
              + current.version();
    } else {
      released.addAll(drains.end(upsert.ruleId()));
      if (running) {
        released.add(current.generation());
        message = "pattern changed, partial matches of version " + current.version() + " dropped";
      } else {
        message = "started";
      }
    }
    return new Outcome(
        upsert.ruleId(), upsert.version(), RuleStatus.State.ACTIVE, message, released);
  }

  Outcome stop(String ruleId, long version, RuleStatus.State state) {
    Entry current = entries.get(ruleId);
    if (limits.jumpsTooFar(current == null ? 0 : current.version(), version)) {
      return new Outcome(
          ruleId,
          version,
          RuleStatus.State.REJECTED,
          tooFar(version, current == null ? 0 : current.version()),
          List.of());
    }
    if (current == null) {
      // A deletion of an unknown id has nothing to protect; a disable is remembered for its
      // version (an older upsert published later stays rejected), up to a bound.
      if (state == RuleStatus.State.DISABLED) {
        if (unknownIds() < limits.maxUnknownIds()) {
          entries.put(ruleId, new Entry(Optional.empty(), 0, version, state, Optional.empty()));
        } else {
          unknownIdsNotKept++;
          return new Outcome(
              ruleId,
              version,
              state,
              "unknown rule, not remembered: "
                  + limits.maxUnknownIds()
                  + " unknown ids already are (rules.max-unknown-ids)",
              List.of());
        }
      }
      return new Outcome(ruleId, version, state, "unknown rule", List.of());
    }
    if (version < current.version()) {
      return new Outcome(
          ruleId,
          version,
          RuleStatus.State.REJECTED,
          "version " + version + " is older than version " + current.version(),
          List.of());
    }
    entries.put(
        ruleId,
        new Entry(current.command(), current.generation(), version, state, Optional.empty()));
    List<Long> released = new ArrayList<>(drains.end(ruleId));
    if (current.rule().isPresent()) {
      released.add(current.generation());
    }
    return new Outcome(ruleId, version, state, "state released", released);
  }

  /** Entries of ids that never had a rule (only disabled). */
  private int unknownIds() {
    int unknown = 0;
    for (Entry entry : entries.values()) {
      if (entry.command().isEmpty()) {
        unknown++;
      }
    }
    return unknown;
  }

  /** Previous versions whose partial matches are finishing. */
  List<Drain> drains() {
    return drains.all();
  }

  /** Sets the event time after which the draining generation {@code stateId} is empty. */
  void drainUntil(String stateId, long until) {
    drains.until(stateId, until);
  }

  /**
   * Ends the drains whose partial matches have all completed or timed out by {@code watermark};
   * returns their generations (to be released).
   */
  List<RuleGeneration> endDrains(long watermark) {
    return drains.endBy(watermark);
  }

  List<Outcome> restore(
      String ruleId, RuleBookJson.StoredRule stored, Map<String, StreamSchema> streams) {
    RuleStatus.State state = stored.state();
    Optional<MatchingRule> rule = Optional.empty();
    List<Outcome> outcomes = new ArrayList<>();
    if (state == RuleStatus.State.ACTIVE && stored.command().isPresent()) {
      try {
        rule = Optional.of(builder.buildRule(stored.command().get(), streams));
      } catch (RuleRejectedException ex) {
        state = RuleStatus.State.REJECTED;
        outcomes.add(
            new Outcome(
                ruleId,
                stored.version(),
                state,
                "no longer compiles: " + ex.getMessage(),
                List.of()));
      }
    }
    entries.put(
        ruleId, new Entry(stored.command(), stored.generation(), stored.version(), state, rule));
    for (RuleBookJson.StoredDrain d : stored.draining()) {
      try {
        MatchingRule old = builder.buildRule(d.command(), streams);
        drains.add(
            new Drain(
                new ActiveRule(old, d.generation(), d.command().activeFrom(), true),
                d.command(),
                d.until()));
      } catch (RuleRejectedException ex) {
        // The previous version no longer compiles: its partial matches cannot finish.
      }
    }
    return outcomes;
  }
}
