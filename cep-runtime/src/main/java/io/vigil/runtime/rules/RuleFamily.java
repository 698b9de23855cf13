package io.vigil.runtime.rules;

import io.vigil.compiler.event.Event;
import io.vigil.compiler.rule.FinalStageFamily;
import io.vigil.compiler.rule.FinalStageFamily.FirstConditions;
import io.vigil.runtime.alert.Alert;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.cep.pattern.Pattern;

/**
 * Running rules of one partition spec whose patterns are the same but for their final stage's
 * condition, and, when the prefix is one stage taken once, that stage's condition ({@link
 * FinalStageFamily}), as the one unit the matcher runs for them: one NFA of the shared prefix per
 * key, whose matches wait for each member's final stage (see {@code matcher.FinalStages}). Its id,
 * and so its state, depends only on the spec and the family fingerprint, never on who the members
 * are: members come and go without touching the prefix's partial matches.
 *
 * <p>As a {@link MatchingRule} it is what the matcher's indexes see: the members' streams, key,
 * start condition and prefix pattern (the same for every member). It raises no alert itself.
 */
public final class RuleFamily implements MatchingRule {

  /** Family ids start with it; rule ids cannot (a rule id is an identifier). */
  public static final String ID_PREFIX = "family:";

  /**
   * One member: a running rule generation, and the partial matches of the prefix it takes. A rule
   * sees events from its {@code activeFrom} on, so its prefix matches start there; a draining
   * previous version started no partial match after the watermark of its switch (its window before
   * the end of the drain).
   *
   * @param startsFrom the earliest start time of a prefix match it takes
   * @param startsUntil the latest
   */
  public record Member(
      RuleBook.ActiveRule active, FinalStageFamily split, long startsFrom, long startsUntil) {

    /** Whether the member's own NFA would hold a partial match that started at {@code start}. */
    public boolean takes(long start) {
      return start >= startsFrom && start <= startsUntil;
    }

    public String stateId() {
      return active.stateId();
    }

    public MatchingRule rule() {
      return active.rule();
    }
  }

  private final String id;
  private final String key;
  private final MatchingRule representative;
  private final FinalStageFamily split;
  private final Pattern<Event, Event> prefix;
  private final List<Member> members;
  private final Map<String, Member> byStateId;
  private final List<String> memberStateIds;
  private final io.vigil.compiler.pattern.BoundedConditions guards;
  private final List<StartValue> startValues;
  private final List<io.vigil.compiler.rule.CompiledRule.StartBound> startBounds;

  /** The members' first conditions, in member order, when they may differ. */
  private final Optional<FirstConditions> firsts;

  RuleFamily(String key, List<Member> members) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a family has members");
    }
    this.key = key;
    this.id = idOf(key);
    this.members = List.copyOf(members);
    this.byStateId =
        members.stream().collect(Collectors.toUnmodifiableMap(Member::stateId, m -> m));
    this.memberStateIds = members.stream().map(Member::stateId).toList();
    this.guards =
        new io.vigil.compiler.pattern.BoundedConditions(
            members.stream().map(m -> m.split().guard()).toList());
    this.representative = members.get(0).rule();
    this.split = members.get(0).split();
    this.firsts =
        split.first().isPresent()
            ? Optional.of(
                FinalStageFamily.firstConditions(members.stream().map(Member::split).toList()))
            : Optional.empty();
    this.prefix = firsts.isPresent() ? firsts.get().pattern() : split.prefixPattern();
    List<StartValue> common = representative.startValues();
    for (Member m : members) {
      if (!m.rule().startValues().equals(common)) {
        common = List.of();
      }
    }
    this.startValues = common;
    // With differing first conditions each member has its own bounds: the prefix has none.
    List<io.vigil.compiler.rule.CompiledRule.StartBound> bounds =
        firsts.isPresent() ? List.of() : representative.startBounds();
    for (Member m : members) {
      if (!m.rule().startBounds().equals(bounds)) {
        bounds = List.of();
      }
    }
    this.startBounds = bounds;
  }

  /**
   * Whether the members may differ in their first stage's condition ({@link
   * FinalStageFamily#first}): the prefix's NFA then tests every member's, and a family with other
   * members needs an NFA of its own.
   */
  public boolean startsDiffer() {
    return firsts.isPresent();
  }

  /**
   * Whether the {@code index}th member's own NFA would start a partial match on the prefix match of
   * {@code event}: always when the members share their whole prefix, else when its own first
   * condition passes the event (as the prefix's NFA just tested it).
   */
  public boolean startsOn(int index, Event event) throws Exception {
    if (firsts.isEmpty()) {
      return true;
    }
    return firsts.get().passed(event, index, StagesContext.first(event.timestamp()));
  }

  /** The family key of a rule: its spec and family fingerprint; empty if it has no family. */
  static Optional<String> keyOf(MatchingRule rule) {
    return rule.finalStageFamily().map(f -> rule.partitionSpec() + '\u0000' + f.fingerprint());
  }

  /** {@code family:} and a hash of the key: stable across instances, restarts and versions. */
  static String idOf(String key) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return ID_PREFIX + HexFormat.of().formatHex(hash, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  public List<Member> members() {
    return members;
  }

  /** The member of state id {@code stateId}, if it is one. */
  public Optional<Member> member(String stateId) {
    return Optional.ofNullable(byStateId.get(stateId));
  }

  /**
   * The state ids of the members, in member order (one list per family: the matcher numbers a key's
   * waiting matches by it and compares it by identity on every key it loads).
   */
  public List<String> memberStateIds() {
    return memberStateIds;
  }

  /**
   * The members' final-stage guards ({@link FinalStageFamily#guard}), in member order, grouped by
   * their leading bounds: an event is tested against the guards it may pass.
   */
  public io.vigil.compiler.pattern.BoundedConditions guards() {
    return guards;
  }

  /** The final stage's name, link and the members' shared window (all members agree). */
  public FinalStageFamily split() {
    return split;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public long version() {
    return 0;
  }

  @Override
  public Set<String> streams() {
    return representative.streams();
  }

  @Override
  public String partitionSpec() {
    return representative.partitionSpec();
  }

  @Override
  public Optional<Map<String, Object>> key(Event event) {
    return representative.key(event);
  }

  @Override
  public Optional<? extends java.util.Collection<?>> keyValues(Event event) {
    return representative.keyValues(event);
  }

  /** The prefix: the members' pattern without its final stage. */
  @Override
  public Pattern<Event, Event> pattern() {
    return prefix;
  }

  @Override
  public boolean handlesTimeout() {
    return false;
  }

  /**
   * With the members' first conditions differing: whether any passes, tested through the prefix's
   * condition, which keeps the results for the NFA's step on the same event and for {@link
   * #startsOn}.
   */
  @Override
  public boolean mayStart(Event event) {
    if (!startsDiffer()) {
      return representative.mayStart(event);
    }
    try {
      return firsts.get().filter(event, StagesContext.first(event.timestamp()));
    } catch (Exception e) {
      // The conditions count their own failures and do not throw; should one, the NFA decides.
      return true;
    }
  }

  /** The start values every member requires (none unless all require the same). */
  @Override
  public List<StartValue> startValues() {
    return startValues;
  }

  /** The start bounds every member requires (none unless all require the same). */
  @Override
  public List<io.vigil.compiler.rule.CompiledRule.StartBound> startBounds() {
    return startBounds;
  }

  @Override
  public boolean having(Map<String, List<Event>> match) {
    return true;
  }

  @Override
  public String matchingFingerprint() {
    return key;
  }

  @Override
  public AlertText render(
      Alert.Kind kind, Map<String, List<Event>> match, Map<String, Object> key) {
    throw new UnsupportedOperationException("a family's members raise the alerts");
  }

  @Override
  public Map<String, Object> encode(Event event) {
    return representative.encode(event);
  }

  @Override
  public String toString() {
    return id + members.stream().map(Member::stateId).toList();
  }
}
