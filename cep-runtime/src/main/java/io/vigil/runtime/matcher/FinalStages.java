package io.vigil.runtime.matcher;

import io.vigil.compiler.event.Event;
import io.vigil.dsl.ast.Sequence.Link;
import io.vigil.runtime.matcher.state.Waiter;
import io.vigil.runtime.rules.RuleFamily;
import io.vigil.runtime.rules.StagesContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeutils.base.ListSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;

/**
 * The final stage of each member of a {@link RuleFamily}, on one key: the prefix's NFA is shared,
 * and every prefix match it completes becomes, for each member that would hold it, a {@link Waiter}
 * that does exactly what the member's own NFA does with a partial match in its final state (one
 * state with a TAKE to the end and, for {@code then} / {@code then any}, an IGNORE to itself;
 * nothing else, with {@code skip none}):
 *
 * <ul>
 *   <li>it is created by the event that completes the prefix and first sees the next event;
 *   <li>before each event time and at the watermark, one whose first event is a window or more
 *       older is dropped ({@code NFA.advanceTime});
 *   <li>an event passing the member's final condition (read with the prefix's events, as the NFA's
 *       context gives them) completes a match: the prefix's events and that event;
 *   <li>then: gone after its first match; next: gone after the next event, matched or not; then
 *       any: stays.
 * </ul>
 *
 * A member's final condition is tested against each waiter only for an event that passes the
 * family's guard (its stream and the conjuncts that read nothing of the prefix: {@link
 * io.vigil.compiler.rule.FinalStageFamily#guard}), tested once per member and event; when the
 * condition reads nothing of the prefix, the guard is the condition. The matches are the same; an
 * evaluation that fails in the guard is counted once per event, where the member's own NFA counts
 * it for each partial match it tests.
 *
 * <p>Per event the waiters step before the prefix's NFA, as the member's NFA steps its final-state
 * partial match in the same call that may complete a new one.
 *
 * <p>With {@code skip past last event} (the prefix is then one event), a member's match is emitted
 * only when no earlier partial match of the member waits, and then prunes every partial and
 * completed match of the member that began at or before its last event, the prefix match of that
 * very event included ({@link #settle}); events of one time are ordered by the matcher's queue, as
 * the NFA's event ids order them.
 */
final class FinalStages {

  /** Waiters per member state id, in the family's namespace of the buffer states. */
  static final MapStateDescriptor<String, List<Waiter>> WAITERS =
      new MapStateDescriptor<>(
          "family-waiters",
          StringSerializer.INSTANCE,
          new ListSerializer<>(Waiter.Serializer.INSTANCE));

  /** Emits a member's complete match (through {@code having}, as an alert). */
  interface Emitter {
    void emit(RuleFamily.Member member, Map<String, List<Event>> match) throws Exception;
  }

  private static final int UNKNOWN = 0;
  private static final int PASSED = 1;
  private static final int FAILED = 2;

  private FinalStages() {}

  /**
   * The key's waiters, by member (those of a former member are never stepped, and {@link #store}
   * drops them). The lists are the state's own (mutable, as its serializer makes them): on heap
   * state they are changed in place, as Flink's heap state allows between snapshots, and on other
   * backends they are fresh copies; either way {@link #store} writes them back.
   */
  static Map<String, List<Waiter>> load(MapState<String, List<Waiter>> state) throws Exception {
    Map<String, List<Waiter>> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<Waiter>> e : state.entries()) {
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  /** Writes the key's waiters back: members without any leave the map. */
  static void store(
      MapState<String, List<Waiter>> state, Map<String, List<Waiter>> waiters, RuleFamily family)
      throws Exception {
    Set<String> members = family.memberStateIds();
    Map<String, List<Waiter>> kept = new LinkedHashMap<>();
    for (Map.Entry<String, List<Waiter>> e : waiters.entrySet()) {
      if (e.getValue().isEmpty() || !members.contains(e.getKey())) {
        state.remove(e.getKey());
      } else {
        kept.put(e.getKey(), e.getValue());
      }
    }
    // One write for all members (on heap state, one lookup of the key's map instead of one each).
    if (!kept.isEmpty()) {
      state.putAll(kept);
    }
    waiters.values().removeIf(List::isEmpty);
    waiters.keySet().retainAll(members);
  }

  static int count(Map<String, List<Waiter>> waiters) {
    int n = 0;
    for (List<Waiter> list : waiters.values()) {
      n += list.size();
    }
    return n;
  }

  /** The earliest time a waiter can time out ({@link Long#MAX_VALUE} if none). */
  static long horizon(Map<String, List<Waiter>> waiters, long window) {
    long horizon = Long.MAX_VALUE;
    for (List<Waiter> list : waiters.values()) {
      for (Waiter w : list) {
        if (w.waiting()) {
          horizon = Math.min(horizon, w.start() + window);
        }
      }
    }
    return horizon;
  }

  /**
   * Drops the waiters whose window has passed at {@code time}, as {@code NFA.advanceTime} does (a
   * completed match that waits behind an earlier one never times out), and emits what that frees
   * ({@link #settle}).
   *
   * @return whether any waiter was dropped
   */
  static boolean prune(
      RuleFamily family, Map<String, List<Waiter>> waiters, long time, long window, Emitter emitter)
      throws Exception {
    boolean changed = false;
    for (List<Waiter> list : waiters.values()) {
      changed |= list.removeIf(w -> w.waiting() && time - w.start() >= window);
    }
    if (changed) {
      settle(family, waiters, emitter);
    }
    return changed;
  }

  /**
   * Steps every current member's waiters with {@code event}, the key's event at position {@code
   * order} among those of its time. With {@code skip none} a completed match is emitted at once;
   * with {@code skip past last event} it stays in place until {@link #settle} emits it.
   *
   * @return whether any waiter changed (matched or went)
   */
  static boolean step(
      RuleFamily family,
      Map<String, List<Waiter>> waiters,
      Event event,
      long time,
      long order,
      Emitter emitter)
      throws Exception {
    if (waiters.isEmpty()) {
      return false;
    }
    boolean changed = false;
    Link link = family.split().link();
    String stage = family.split().stage();
    boolean pastLast = family.split().skipPastLastEvent();
    // Only the members with waiters on the key: with many members, most have none.
    for (Map.Entry<String, List<Waiter>> e : waiters.entrySet()) {
      List<Waiter> list = e.getValue();
      Optional<RuleFamily.Member> current = family.member(e.getKey());
      if (list.isEmpty() || current.isEmpty()) {
        continue;
      }
      RuleFamily.Member member = current.get();
      IterativeCondition<Event> condition = member.split().condition();
      IterativeCondition<Event> guard = member.split().guard();
      int guarded = UNKNOWN;
      for (ListIterator<Waiter> it = list.listIterator(); it.hasNext(); ) {
        Waiter waiter = it.next();
        if (!waiter.waiting()) {
          continue;
        }
        if (guarded == UNKNOWN) {
          // Once per member and event: it reads nothing of the prefix.
          guarded = guard.filter(event, new StagesContext(waiter.prefix(), time)) ? PASSED : FAILED;
          if (guarded == FAILED && link != Link.NEXT) {
            // No waiter takes the event, and a `then` / `then any` waiter stays as it is.
            break;
          }
        }
        boolean taken =
            guarded == PASSED
                && (guard == condition
                    || condition.filter(event, new StagesContext(waiter.prefix(), time)));
        if (taken && pastLast) {
          // In place: the list stays in the order of the matches' first events.
          it.set(waiter.completedBy(event, order));
          changed = true;
          continue;
        }
        if (taken) {
          emitter.emit(member, match(waiter, stage, event));
        }
        if (link == Link.NEXT || (taken && link == Link.FOLLOWED_BY)) {
          it.remove();
          changed = true;
        } else if (taken) {
          changed = true;
        }
      }
    }
    return changed;
  }

  /**
   * With {@code skip past last event}: emits each member's completed matches that no earlier
   * partial match holds back, earliest first, each pruning the member's partial and completed
   * matches that began at or before its last event ({@code
   * NFA.processMatchesAccordingToSkipStrategy}). A member's list is in the order of the matches'
   * first events, so its head is the earliest: a completed head goes out, a waiting one holds back
   * the rest.
   */
  static void settle(RuleFamily family, Map<String, List<Waiter>> waiters, Emitter emitter)
      throws Exception {
    if (!family.split().skipPastLastEvent() || waiters.isEmpty()) {
      return;
    }
    String stage = family.split().stage();
    for (Map.Entry<String, List<Waiter>> e : waiters.entrySet()) {
      List<Waiter> list = e.getValue();
      Optional<RuleFamily.Member> member = family.member(e.getKey());
      while (member.isPresent() && !list.isEmpty() && !list.get(0).waiting()) {
        Waiter head = list.get(0);
        Waiter.Completion last = head.completion().orElseThrow();
        emitter.emit(member.get(), match(head, stage, last.event()));
        long time = last.event().timestamp();
        list.removeIf(w -> w.startsNoLaterThan(time, last.order()));
      }
    }
  }

  private static Map<String, List<Event>> match(Waiter waiter, String stage, Event last) {
    Map<String, List<Event>> match = new LinkedHashMap<>(waiter.prefix());
    match.put(stage, List.of(last));
    return match;
  }

  /**
   * Turns prefix matches, completed by the key's event at position {@code order} among those of its
   * time, into waiters of each member that would hold them.
   *
   * @return whether any waiter was added
   */
  static boolean started(
      RuleFamily family,
      Map<String, List<Waiter>> waiters,
      Collection<Map<String, List<Event>>> prefixMatches,
      long order)
      throws Exception {
    boolean added = false;
    for (Map<String, List<Event>> match : prefixMatches) {
      long start = Long.MAX_VALUE;
      Event first = null;
      for (List<Event> events : match.values()) {
        for (Event e : events) {
          if (e.timestamp() < start) {
            start = e.timestamp();
            first = e;
          }
        }
      }
      Waiter waiter = new Waiter(start, order, Collections.unmodifiableMap(match));
      List<RuleFamily.Member> members = family.members();
      for (int i = 0; i < members.size(); i++) {
        RuleFamily.Member member = members.get(i);
        if (member.takes(start) && family.startsOn(i, first)) {
          waiters.computeIfAbsent(member.stateId(), id -> new ArrayList<>(2)).add(waiter);
          added = true;
        }
      }
    }
    return added;
  }
}
