package io.vigil.runtime.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.dsl.schema.StreamSchema;
import io.vigil.runtime.control.ControlJson;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules and streams one parallel instance knows, and the lifecycle decisions on each command:
 * which version is active, whether its partial matches survive (same {@link
 * MatchingRule#matchingFingerprint()} → same state generation) or must be dropped.
 *
 * <p>Its persistent form is one JSON string per rule or stream (the broadcast state): the command
 * and the state generation. Compiled rules are rebuilt from it after a restore.
 */
public final class RuleBook {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final RuleBuilder builder;
  private final RuleLimits limits;
  private long unknownIdsNotKept;
  private final Map<String, RuleCommand.DeclareStream> streamCommands = new LinkedHashMap<>();
  private final Map<String, StreamSchema> streams = new LinkedHashMap<>();
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final Map<String, List<Drain>> drains = new LinkedHashMap<>();
  private Map<String, List<ActiveRule>> byStream = Map.of();
  private Map<String, List<Route>> routesByStream = Map.of();
  private Map<String, ActiveRule> byStateId = Map.of();
  private Map<String, List<ActiveRule>> byStreamAndSpec = Map.of();
  private List<ActiveRule> active = List.of();

  public RuleBook(RuleBuilder builder) {
    this(builder, RuleLimits.defaults());
  }

  /**
   * @param builder wrapped so that any failure while building becomes a rejection ({@link
   *     GuardedRuleBuilder})
   */
  public RuleBook(RuleBuilder builder, RuleLimits limits) {
    this.builder = GuardedRuleBuilder.of(builder);
    this.limits = limits;
  }

  /**
   * Commands for ids the book did not know that it acknowledged without remembering them ({@link
   * RuleLimits#maxUnknownIds}), since this instance started.
   */
  public long unknownIdsNotKept() {
    return unknownIdsNotKept;
  }

  /** The rules running now (drains of previous versions not counted). */
  public int liveRules() {
    int live = 0;
    for (Entry entry : entries.values()) {
      if (entry.rule().isPresent()) {
        live++;
      }
    }
    return live;
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

  /** A running rule: what matcher and router iterate over. */
  public record ActiveRule(
      MatchingRule rule, long generation, long activeFrom, String stateId, boolean draining) {
    ActiveRule(MatchingRule rule, long generation, long activeFrom, boolean draining) {
      // Computed once: the matcher looks it up for every event and rule.
      this(rule, generation, activeFrom, rule.id() + "/" + generation, draining);
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
  }

  public Map<String, StreamSchema> streams() {
    return Map.copyOf(streams);
  }

  public Optional<StreamSchema> stream(String name) {
    return Optional.ofNullable(streams.get(name));
  }

  public Collection<Entry> entries() {
    return List.copyOf(entries.values());
  }

  public Optional<Entry> entry(String ruleId) {
    return Optional.ofNullable(entries.get(ruleId));
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
    return routesByStream.getOrDefault(stream, List.of());
  }

  /** The running rules that read {@code stream}. */
  public List<ActiveRule> readersOf(String stream) {
    return byStream.getOrDefault(stream, List.of());
  }

  /** The running rules of partition spec {@code spec} that read {@code stream}. */
  public List<ActiveRule> readersOf(String stream, String spec) {
    return byStreamAndSpec.getOrDefault(stream + '\u0000' + spec, List.of());
  }

  public List<ActiveRule> active() {
    return active;
  }

  /** The running rule whose state generation is {@code stateId} ({@code <rule>/<generation>}). */
  public Optional<ActiveRule> activeByStateId(String stateId) {
    return Optional.ofNullable(byStateId.get(stateId));
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
      outcomes.addAll(declareStream(declare));
    } else if (command instanceof RuleCommand.UpsertRule upsert) {
      outcomes.add(upsert(upsert));
    } else if (command instanceof RuleCommand.DisableRule disable) {
      outcomes.add(stop(disable.ruleId(), disable.version(), RuleStatus.State.DISABLED));
    } else if (command instanceof RuleCommand.DeleteRule delete) {
      Entry current = entries.get(delete.ruleId());
      outcomes.add(
          stop(delete.ruleId(), current == null ? 0 : current.version(), RuleStatus.State.DELETED));
    }
    return outcomes;
  }

  private List<Outcome> declareStream(RuleCommand.DeclareStream declare) {
    RuleCommand.DeclareStream current = streamCommands.get(declare.stream());
    if (current != null && current.version() >= declare.version()) {
      // A replay of the compacted topic is acknowledged like a rule's, so that a stream declared
      // before the job started shows as active too.
      return current.equals(declare)
          ? List.of(
              new Outcome(
                  RuleCommand.STREAM_KEY_PREFIX + declare.stream(),
                  declare.version(),
                  RuleStatus.State.ACTIVE,
                  "unchanged",
                  List.of()))
          : List.of();
    }
    if (limits.jumpsTooFar(current == null ? 0 : current.version(), declare.version())) {
      return List.of(
          new Outcome(
              RuleCommand.STREAM_KEY_PREFIX + declare.stream(),
              declare.version(),
              RuleStatus.State.REJECTED,
              tooFar(declare.version(), current == null ? 0 : current.version()),
              List.of()));
    }
    StreamSchema schema;
    try {
      Map<String, StreamSchema> others = new HashMap<>(streams);
      others.remove(declare.stream());
      schema = builder.declareStream(declare, others);
    } catch (RuleRejectedException e) {
      return List.of(
          new Outcome(
              RuleCommand.STREAM_KEY_PREFIX + declare.stream(),
              declare.version(),
              RuleStatus.State.REJECTED,
              e.getMessage(),
              List.of()));
    }
    streamCommands.put(declare.stream(), declare);
    streams.put(declare.stream(), schema);
    List<Outcome> outcomes = new ArrayList<>();
    outcomes.add(
        new Outcome(
            RuleCommand.STREAM_KEY_PREFIX + declare.stream(),
            declare.version(),
            RuleStatus.State.ACTIVE,
            "stream declared",
            List.of()));
    // Rules reading the stream are rebuilt: a schema change moves field indexes, so their
    // fingerprint changes and their partial matches are dropped.
    for (Entry entry : List.copyOf(entries.values())) {
      if (entry.state() == RuleStatus.State.ACTIVE
          && entry.rule().map(r -> r.streams().contains(declare.stream())).orElse(false)) {
        outcomes.add(rebuild(entry, entry.command().orElseThrow()));
      }
    }
    return outcomes;
  }

  private Outcome upsert(RuleCommand.UpsertRule upsert) {
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
    if (starts && liveRules() >= limits.maxLiveRules()) {
      return new Outcome(
          upsert.ruleId(),
          upsert.version(),
          RuleStatus.State.REJECTED,
          "the job already runs "
              + limits.maxLiveRules()
              + " rules, its limit (rules.max-live): disable or delete one first",
          List.of());
    }
    return rebuild(current, upsert);
  }

  private String tooFar(long version, long current) {
    return "version "
        + version
        + " is more than "
        + limits.maxVersionJump()
        + " above the current version "
        + current
        + " (rules.max-version-jump)";
  }

  private Outcome rebuild(Entry current, RuleCommand.UpsertRule upsert) {
    MatchingRule rule;
    try {
      rule = builder.buildRule(upsert, streams);
    } catch (RuleRejectedException e) {
      return new Outcome(
          upsert.ruleId(), upsert.version(), RuleStatus.State.REJECTED, e.getMessage(), List.of());
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
      drains
          .computeIfAbsent(upsert.ruleId(), id -> new ArrayList<>())
          .add(
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
      released.addAll(endDrains(upsert.ruleId()));
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

  private Outcome stop(String ruleId, long version, RuleStatus.State state) {
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
    List<Long> released = new ArrayList<>(endDrains(ruleId));
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

  private List<Long> endDrains(String ruleId) {
    List<Drain> ended = drains.remove(ruleId);
    return ended == null ? List.of() : ended.stream().map(d -> d.rule().generation()).toList();
  }

  /** Previous versions whose partial matches are finishing. */
  public List<Drain> drains() {
    List<Drain> out = new ArrayList<>();
    drains.values().forEach(out::addAll);
    return out;
  }

  /** Sets the event time after which the draining generation {@code stateId} is empty. */
  public void drainUntil(String stateId, long until) {
    drains
        .values()
        .forEach(
            list ->
                list.replaceAll(
                    d ->
                        d.rule().stateId().equals(stateId)
                            ? new Drain(d.rule(), d.command(), until)
                            : d));
  }

  /**
   * Ends the drains whose partial matches have all completed or timed out by {@code watermark};
   * returns their state ids (to be released).
   */
  public List<String> endDrains(long watermark) {
    List<String> ended = new ArrayList<>();
    for (List<Drain> list : drains.values()) {
      list.removeIf(
          d -> {
            boolean over = d.until() != Long.MIN_VALUE && d.until() <= watermark;
            if (over) {
              ended.add(d.rule().stateId());
            }
            return over;
          });
    }
    drains.values().removeIf(List::isEmpty);
    if (!ended.isEmpty()) {
      reindex();
    }
    return ended;
  }

  private void reindex() {
    Map<String, List<ActiveRule>> index = new HashMap<>();
    Map<String, ActiveRule> states = new HashMap<>();
    List<ActiveRule> all = new ArrayList<>();
    Map<String, List<ActiveRule>> bySpec = new HashMap<>();
    for (Entry entry : entries.values()) {
      if (entry.rule().isEmpty()) {
        continue;
      }
      all.add(activeRule(entry, entry.rule().get()));
    }
    drains.values().forEach(list -> list.forEach(d -> all.add(d.rule())));
    for (ActiveRule active : all) {
      states.put(active.stateId(), active);
      for (String stream : active.rule().streams()) {
        index.computeIfAbsent(stream, s -> new ArrayList<>()).add(active);
        bySpec
            .computeIfAbsent(
                stream + '\u0000' + active.rule().partitionSpec(), s -> new ArrayList<>())
            .add(active);
      }
    }
    index.replaceAll((s, l) -> List.copyOf(l));
    byStream = index;
    Map<String, List<Route>> routes = new HashMap<>();
    index.forEach((stream, readers) -> routes.put(stream, routes(readers)));
    routesByStream = routes;
    byStateId = states;
    bySpec.replaceAll((s, l) -> List.copyOf(l));
    byStreamAndSpec = bySpec;
    active = List.copyOf(all);
  }

  private static List<Route> routes(List<ActiveRule> readers) {
    Map<String, Route> bySpec = new java.util.LinkedHashMap<>();
    for (ActiveRule active : readers) {
      String spec = active.rule().partitionSpec();
      Route route = bySpec.get(spec);
      if (route == null || active.activeFrom() < route.activeFrom()) {
        bySpec.put(spec, new Route(spec, active.rule(), active.activeFrom()));
      }
    }
    return List.copyOf(bySpec.values());
  }

  private static ActiveRule activeRule(Entry entry, MatchingRule rule) {
    return new ActiveRule(
        rule, entry.generation(), entry.command().orElseThrow().activeFrom(), false);
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
      RuleCommand.DeclareStream declare =
          streamCommands.get(storageKey.substring(RuleCommand.STREAM_KEY_PREFIX.length()));
      return Optional.ofNullable(declare).map(ControlJson::write);
    }
    Entry entry = entries.get(storageKey);
    if (entry == null) {
      return Optional.empty();
    }
    ObjectNode node = MAPPER.createObjectNode();
    node.put("ruleId", storageKey);
    node.put("generation", entry.generation());
    node.put("version", entry.version());
    node.put("state", entry.state().name());
    entry
        .command()
        .ifPresent(
            command -> {
              node.put("command", ControlJson.write(command));
              node.put("activeFrom", command.activeFrom());
            });
    com.fasterxml.jackson.databind.node.ArrayNode draining = node.putArray("draining");
    for (Drain drain : drains.getOrDefault(storageKey, List.of())) {
      ObjectNode d = draining.addObject();
      d.put("generation", drain.rule().generation());
      d.put("command", ControlJson.write(drain.command()));
      d.put("activeFrom", drain.command().activeFrom());
      d.put("until", drain.until());
    }
    return Optional.of(node.toString());
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
          outcomes.addAll(
              declareStream((RuleCommand.DeclareStream) ControlJson.read(null, e.getValue(), 0)));
        } catch (ControlJson.InvalidCommandException ex) {
          throw new IllegalStateException("corrupt stored stream " + e.getKey(), ex);
        }
      }
    }
    for (Map.Entry<String, String> e : stored.entrySet()) {
      if (e.getKey().startsWith(RuleCommand.STREAM_KEY_PREFIX)) {
        continue;
      }
      try {
        JsonNode node = MAPPER.readTree(e.getValue());
        long generation = node.get("generation").asLong();
        long version = node.get("version").asLong();
        RuleStatus.State state = RuleStatus.State.valueOf(node.get("state").asText());
        Optional<RuleCommand.UpsertRule> command = Optional.empty();
        if (node.hasNonNull("command")) {
          RuleCommand.UpsertRule parsed =
              (RuleCommand.UpsertRule) ControlJson.read(null, node.get("command").asText(), 0);
          command = Optional.of(parsed.withActiveFrom(node.get("activeFrom").asLong()));
        }
        Optional<MatchingRule> rule = Optional.empty();
        if (state == RuleStatus.State.ACTIVE && command.isPresent()) {
          try {
            rule = Optional.of(builder.buildRule(command.get(), streams));
          } catch (RuleRejectedException ex) {
            state = RuleStatus.State.REJECTED;
            outcomes.add(
                new Outcome(
                    e.getKey(),
                    version,
                    state,
                    "no longer compiles: " + ex.getMessage(),
                    List.of()));
          }
        }
        entries.put(e.getKey(), new Entry(command, generation, version, state, rule));
        for (JsonNode d : node.path("draining")) {
          RuleCommand.UpsertRule parsed =
              (RuleCommand.UpsertRule) ControlJson.read(null, d.get("command").asText(), 0);
          RuleCommand.UpsertRule previous = parsed.withActiveFrom(d.get("activeFrom").asLong());
          try {
            MatchingRule old = builder.buildRule(previous, streams);
            drains
                .computeIfAbsent(e.getKey(), id -> new ArrayList<>())
                .add(
                    new Drain(
                        new ActiveRule(
                            old, d.get("generation").asLong(), previous.activeFrom(), true),
                        previous,
                        d.get("until").asLong()));
          } catch (RuleRejectedException ex) {
            // The previous version no longer compiles: its partial matches cannot finish.
          }
        }
      } catch (Exception ex) {
        throw new IllegalStateException("corrupt stored rule " + e.getKey(), ex);
      }
    }
    reindex();
    return outcomes;
  }
}
