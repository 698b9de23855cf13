package io.vigil.runtime.rules;

import io.vigil.compiler.event.Event;
import io.vigil.compiler.pattern.BoundedConditions;
import io.vigil.compiler.pattern.ConditionForm;
import io.vigil.compiler.rule.CompiledRule.StartBound;
import io.vigil.compiler.rule.ConditionFamily;
import io.vigil.compiler.rule.FinalStageFamily;
import io.vigil.compiler.rule.FinalStageFamily.FirstConditions;
import io.vigil.compiler.rule.MemberConditions;
import io.vigil.runtime.alert.Alert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.cep.pattern.Pattern;

/**
 * Running rules of one partition spec that share their work, as the one unit the matcher runs for
 * them. Two kinds:
 *
 * <ul>
 *   <li>patterns the same but for their final stage's condition, and, when the prefix is one stage
 *       taken once, that stage's condition ({@link FinalStageFamily}): one NFA of the shared prefix
 *       per key, whose matches wait for each member's final stage (see {@code
 *       matcher.FinalStages});
 *   <li>patterns the same but for one stage's condition ({@link ConditionFamily}): one NFA of the
 *       pattern whose stage takes what any member's takes, each match going to the members whose
 *       condition passes its events of that stage ({@link #membersOf}).
 * </ul>
 *
 * <p>Members may differ in their {@code within} (unless the pattern has a negation): the family's
 * NFA runs with the longest of their windows, and a member takes only the matches whose last event
 * is less than its own window after the first ({@link MemberWindows#fits}), which are the matches
 * its own NFA gives.
 *
 * <p>Its id, and so its state, depends only on the spec and the family fingerprint, never on who
 * the members are: members come and go without touching the shared partial matches.
 *
 * <p>As a {@link MatchingRule} it is what the matcher's indexes see: the members' streams, key,
 * start condition and shared pattern. It raises no alert itself.
 */
public final class RuleFamily implements MatchingRule {

  /**
   * One member: a running rule generation, and the partial matches of the prefix it takes. A rule
   * sees events from its {@code activeFrom} on, so its prefix matches start there; a draining
   * previous version started no partial match after the watermark of its switch (its window before
   * the end of the drain).
   *
   * @param startsFrom the earliest start time of a prefix match it takes
   * @param startsUntil the latest
   */
  public record Member(RuleBook.ActiveRule active, long startsFrom, long startsUntil) {

    /** Whether the member's own NFA would hold a partial match that started at {@code start}. */
    public boolean takes(long start) {
      return start >= startsFrom && start <= startsUntil;
    }

    public String stateId() {
      return active.stateId();
    }

    /**
     * The member's split into prefix and final stage (members of a final-stage family only).
     *
     * @throws java.util.NoSuchElementException for a member of a condition family
     */
    public FinalStageFamily split() {
      return active.rule().finalStageFamily().orElseThrow();
    }

    public MatchingRule rule() {
      return active.rule();
    }
  }

  private final String id;
  private final String key;
  private final MatchingRule representative;

  /** The split of a final-stage family; empty for a condition family. */
  private final Optional<FinalStageFamily> split;

  /**
   * The shared stage and the members' conditions of it, for a condition family; empty otherwise.
   */
  private final Optional<ConditionSplit> conditions;

  private final Pattern<Event, Event> prefix;

  private final MemberWindows windows;
  private final List<Member> members;
  private final Map<String, Member> byStateId;
  private final List<String> memberStateIds;
  private final BoundedConditions guards;
  private final List<StartValue> startValues;
  private final List<StartBound> startBounds;

  /** The members' first conditions, in member order, when they may differ. */
  private final Optional<FirstConditions> firsts;

  /**
   * By member of a final-stage family, the first member whose final stage's conjuncts that read the
   * prefix are written alike ({@link FinalStageFamily#matchConjuncts}); -1 where it has none.
   */
  private final int[] sameMatchConjuncts;

  RuleFamily(String key, List<Member> members) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a family has members");
    }
    this.key = key;
    this.id = Families.idOf(key);
    this.members = List.copyOf(members);
    this.byStateId =
        members.stream().collect(Collectors.toUnmodifiableMap(Member::stateId, m -> m));
    this.memberStateIds = members.stream().map(Member::stateId).toList();
    this.representative = members.get(0).rule();
    this.split = representative.finalStageFamily();
    if (split.isPresent()) {
      List<FinalStageFamily> splits = members.stream().map(Member::split).toList();
      Duration longest = FinalStageFamily.window(splits);
      this.windows =
          new MemberWindows(splits.stream().map(FinalStageFamily::window).toList(), longest);
      this.guards = new BoundedConditions(splits.stream().map(FinalStageFamily::guard).toList());
      this.firsts =
          split.get().first().isPresent()
              ? Optional.of(FinalStageFamily.firstConditions(splits))
              : Optional.empty();
      this.sameMatchConjuncts =
          ConditionForm.firstAlike(
              splits.stream().map(s -> s.matchConjuncts().map(c -> c.form())).toList());
      this.conditions = Optional.empty();
      this.prefix =
          firsts.isPresent() ? firsts.get().pattern() : split.get().prefixPattern(longest);
    } else {
      List<ConditionFamily> shapes =
          members.stream()
              .map(
                  m ->
                      m.rule()
                          .conditionFamily()
                          .orElseThrow(() -> new IllegalArgumentException("a member of no family")))
              .toList();
      Duration longest = ConditionFamily.window(shapes);
      this.windows =
          new MemberWindows(shapes.stream().map(ConditionFamily::window).toList(), longest);
      this.guards = new BoundedConditions(List.of());
      this.firsts = Optional.empty();
      this.sameMatchConjuncts = new int[0];
      ConditionSplit conditionSplit = ConditionSplit.of(shapes);
      this.conditions = Optional.of(conditionSplit);
      this.prefix = conditionSplit.pattern(shapes.get(0), longest);
    }
    this.startValues = shared(members, MatchingRule::startValues);
    // With differing first conditions each member has its own bounds: the prefix has none.
    this.startBounds = startsDiffer() ? List.of() : shared(members, MatchingRule::startBounds);
  }

  /** What every member's rule has alike, or nothing where one differs. */
  private static <T> List<T> shared(List<Member> members, Function<MatchingRule, List<T>> of) {
    List<T> first = of.apply(members.get(0).rule());
    for (Member m : members) {
      if (!of.apply(m.rule()).equals(first)) {
        return List.of();
      }
    }
    return first;
  }

  /**
   * Whether the members may differ in their first stage's condition ({@link
   * FinalStageFamily#first}, or the stage of a {@link ConditionFamily} that starts the pattern).
   */
  public boolean startsDiffer() {
    return firsts.isPresent() || conditions.map(ConditionSplit::startStage).orElse(false);
  }

  /**
   * Whether the family's NFA tests the members' own conditions: a family with other members then
   * needs an NFA of its own (over the same state: the NFA's states are named by the stages, which
   * the members share).
   */
  public boolean testsMembers() {
    return firsts.isPresent() || conditions.isPresent();
  }

  /**
   * Whether the family's NFA must be built anew over the same state when it runs instead of {@code
   * before} (the same family with other members): when it tests the members' own conditions, or its
   * window changed (the NFA drops partial matches by it).
   */
  public boolean needsNewNfa(RuleFamily before) {
    return testsMembers() || windows.longest() != before.windows.longest();
  }

  /** The members' windows. */
  public MemberWindows windows() {
    return windows;
  }

  /**
   * Whether members share a prefix and wait for their own final stage ({@link FinalStageFamily}).
   */
  public boolean splitsFinalStage() {
    return split.isPresent();
  }

  /**
   * Whether each member of a condition family takes only the first of the matches one event
   * completes, as its own NFA with {@code skip past last event} emits them ({@link
   * ConditionFamily#firstMatchOnly}).
   */
  public boolean firstMatchOnly() {
    return conditions.map(ConditionSplit::firstMatchOnly).orElse(false);
  }

  /**
   * The members that take a complete match of a condition family's NFA: those whose own NFA would
   * hold it (it started in their time, {@link Member#takes}, and fits their window, {@link
   * MemberWindows#fits}) and whose condition passes every event of the shared stage in it. In
   * member order.
   */
  public List<Member> membersOf(Map<String, List<Event>> match) throws Exception {
    long[] passing =
        conditions
            .orElseThrow(() -> new IllegalStateException("not a condition family"))
            .passing(match);
    long start = MatchTimes.firstEvent(match).timestamp();
    long last = MatchTimes.lastTime(match);
    List<Member> out = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      if ((passing[i >>> 6] & (1L << i)) != 0
          && members.get(i).takes(start)
          && windows.fits(i, start, last)) {
        out.add(members.get(i));
      }
    }
    return out;
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
  public BoundedConditions guards() {
    return guards;
  }

  /**
   * The first member, at or before {@code member}, whose final stage's conjuncts that read the
   * prefix are written as {@code member}'s: they are TRUE for the same event and prefix match, so
   * one test serves both. -1 when the member's final condition reads nothing of the prefix.
   */
  public int sameMatchConjuncts(int member) {
    return sameMatchConjuncts[member];
  }

  /**
   * The final stage's name and link (all members agree) of a final-stage family.
   *
   * @throws IllegalStateException for a condition family
   */
  public FinalStageFamily split() {
    return split.orElseThrow(() -> new IllegalStateException("not a final-stage family"));
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
  public Optional<? extends Collection<?>> keyValues(Event event) {
    return representative.keyValues(event);
  }

  /**
   * The prefix: the members' pattern without its final stage; for a condition family, the members'
   * pattern whose shared stage takes what any member's takes.
   */
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
      MemberConditions starts =
          firsts.isPresent() ? firsts.get() : conditions.orElseThrow().conditions();
      return starts.filter(event, StagesContext.first(event.timestamp()));
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
  public List<StartBound> startBounds() {
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
