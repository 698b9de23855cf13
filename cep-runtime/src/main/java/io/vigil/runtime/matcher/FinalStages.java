package io.vigil.runtime.matcher;

import io.vigil.compiler.event.Event;
import io.vigil.dsl.ast.Sequence.Link;
import io.vigil.runtime.matcher.state.WaitingMatch;
import io.vigil.runtime.matcher.state.WaitingMatches;
import io.vigil.runtime.rules.MatchTimes;
import io.vigil.runtime.rules.MemberWindows;
import io.vigil.runtime.rules.RuleFamily;
import io.vigil.runtime.rules.StagesContext;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;

/**
 * The final stage of each member of a {@link RuleFamily}, on one key: the prefix's NFA is shared,
 * and every prefix match it completes becomes a {@link WaitingMatch}, held once for every member
 * that would hold it, which does for each of them exactly what the member's own NFA does with a
 * partial match in its final state (one state with a TAKE to the end and, for {@code then} / {@code
 * then any}, an IGNORE to itself; nothing else, with {@code skip none}):
 *
 * <ul>
 *   <li>it is created by the event that completes the prefix, for the members whose window that
 *       event is within (the prefix's NFA runs with the longest of their windows), and first sees
 *       the next event;
 *   <li>before each event time and at the watermark, a member's wait whose first event is the
 *       member's window or more older is dropped ({@code NFA.advanceTime});
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
 * <p>Per event the waiting matches step before the prefix's NFA, as the member's NFA steps its
 * final-state partial match in the same call that may complete a new one.
 *
 * <p>With {@code skip past last event} (the prefix is then one event), a member's match is emitted
 * only when no earlier partial match of the member waits, and then prunes every partial and
 * completed match of the member that began at or before its last event, the prefix match of that
 * very event included ({@link #settle}); events of one time are ordered by the matcher's queue, as
 * the NFA's event ids order them.
 */
final class FinalStages {

  /** Emits a member's complete match (through {@code having}, as an alert). */
  interface Emitter {
    void emit(RuleFamily.Member member, Map<String, List<Event>> match) throws Exception;
  }

  private FinalStages() {}

  /** The earliest time a member's wait can time out ({@link Long#MAX_VALUE} if none). */
  static long horizon(RuleFamily family, WaitingMatches waiting) {
    long horizon = Long.MAX_VALUE;
    MemberWindows windows = family.windows();
    if (!windows.differ()) {
      for (WaitingMatch m : waiting.matches()) {
        if (m.start() < horizon && m.anyWaiting()) {
          horizon = m.start();
        }
      }
      return horizon == Long.MAX_VALUE ? horizon : horizon + windows.longest();
    }
    for (WaitingMatch m : waiting.matches()) {
      for (int i = m.nextWaiting(0); i >= 0; i = m.nextWaiting(i + 1)) {
        horizon = Math.min(horizon, m.start() + windows.of(i));
      }
    }
    return horizon;
  }

  /**
   * Drops the members' waits whose window has passed at {@code time}, as {@code NFA.advanceTime}
   * does (a completed match that waits behind an earlier one never times out), and emits what that
   * frees ({@link #settle}).
   *
   * @return whether any wait was dropped
   */
  static boolean prune(RuleFamily family, WaitingMatches waiting, long time, Emitter emitter)
      throws Exception {
    boolean changed = false;
    MemberWindows windows = family.windows();
    for (WaitingMatch m : waiting.matches()) {
      if (!m.anyWaiting()) {
        continue;
      }
      long age = time - m.start();
      if (!windows.differ()) {
        if (age >= windows.longest()) {
          m.stopAllWaiting();
          changed = true;
        }
        continue;
      }
      for (int i = m.nextWaiting(0); i >= 0; i = m.nextWaiting(i + 1)) {
        if (age >= windows.of(i)) {
          m.stopWaiting(i);
          changed = true;
        }
      }
    }
    if (changed) {
      waiting.dropAbandoned();
      settle(family, waiting, emitter);
    }
    return changed;
  }

  /**
   * Steps every waiting member with {@code event}, the key's event at position {@code order} among
   * those of its time. With {@code skip none} a completed match is emitted at once; with {@code
   * skip past last event} it stays in place until {@link #settle} emits it.
   *
   * @return whether any member's match changed (matched or went)
   */
  static boolean step(
      RuleFamily family,
      WaitingMatches waiting,
      Event event,
      long time,
      long order,
      Emitter emitter)
      throws Exception {
    assert waiting.members() == family.memberStateIds() : "numbered for other members";
    if (waiting.isEmpty()) {
      return false;
    }
    List<WaitingMatch> matches = waiting.matches();
    Link link = family.split().link();
    long[] passed = guardsPassed(family, matches, event, time, link == Link.NEXT);
    if (passed == null) {
      return false;
    }
    boolean changed = false;
    String stage = family.split().stage();
    boolean pastLast = family.split().skipPastLastEvent();
    List<RuleFamily.Member> members = family.members();
    for (WaitingMatch m : matches) {
      // What every member's condition sees of this prefix match (made once it is needed).
      StagesContext context = null;
      // Members whose conjuncts that read the prefix were tested on it, and those they passed.
      long[] tested = null;
      long[] conjunctsPassed = null;
      for (int word = 0; word < m.waitingWords(); word++) {
        long waits = m.waitingWord(word);
        // A member whose guard failed takes nothing: only the others are tested.
        for (long takers = waits & passed[word]; takers != 0; takers &= takers - 1) {
          int i = word * 64 + Long.numberOfTrailingZeros(takers);
          RuleFamily.Member member = members.get(i);
          IterativeCondition<Event> condition = member.split().condition();
          boolean taken = condition == member.split().guard();
          if (!taken) {
            if (context == null) {
              context = new StagesContext(m.prefix(), time);
            }
            // Its guard passed: the condition is TRUE exactly when its conjuncts that read the
            // prefix are, and those written alike in another member were perhaps tested already.
            int same = family.sameMatchConjuncts(i);
            if (same < 0) {
              taken = condition.filter(event, context);
            } else {
              if (tested == null) {
                tested = new long[passed.length];
                conjunctsPassed = new long[passed.length];
              }
              taken =
                  conjunctsPass(members.get(same), same, event, context, tested, conjunctsPassed);
            }
          }
          if (taken && pastLast) {
            m.complete(i, event, order);
            changed = true;
          } else if (taken) {
            emitter.emit(member, match(m.prefix(), stage, event));
            if (link != Link.FOLLOWED_BY_ANY) {
              m.stopWaiting(i);
            }
            changed = true;
          } else if (link == Link.NEXT) {
            m.stopWaiting(i);
            changed = true;
          }
        }
        if (link == Link.NEXT && (waits & ~passed[word]) != 0) {
          // `next`: the wait ends with the next event, taken or not.
          m.keepWaiting(word, passed[word]);
          changed = true;
        }
      }
    }
    if (changed) {
      waiting.dropAbandoned();
    }
    return changed;
  }

  /**
   * With {@code skip past last event}: emits each member's completed matches that no earlier
   * partial match of the member holds back, earliest first, each pruning the member's partial and
   * completed matches that began at or before its last event ({@code
   * NFA.processMatchesAccordingToSkipStrategy}). The matches are in the order of their first events
   * (the prefix is one event), so a member's first is its earliest: completed, it goes out;
   * waiting, it holds back the rest.
   *
   * @return whether any match went out
   */
  static boolean settle(RuleFamily family, WaitingMatches waiting, Emitter emitter)
      throws Exception {
    if (!family.split().skipPastLastEvent() || waiting.isEmpty()) {
      return false;
    }
    boolean emitted = false;
    String stage = family.split().stage();
    List<RuleFamily.Member> members = family.members();
    List<WaitingMatch> matches = waiting.matches();
    java.util.BitSet done = new java.util.BitSet();
    for (WaitingMatch m : matches) {
      for (int i = m.nextCompleted(0); i >= 0; i = m.nextCompleted(i + 1)) {
        if (done.get(i)) {
          continue;
        }
        done.set(i);
        emitted |= settleMember(i, members.get(i), matches, stage, emitter);
      }
    }
    waiting.dropAbandoned();
    return emitted;
  }

  private static boolean settleMember(
      int i, RuleFamily.Member member, List<WaitingMatch> matches, String stage, Emitter emitter)
      throws Exception {
    boolean emitted = false;
    while (true) {
      WaitingMatch head = null;
      for (WaitingMatch m : matches) {
        if (m.heldBy(i)) {
          head = m;
          break;
        }
      }
      if (head == null || head.waits(i)) {
        return emitted;
      }
      WaitingMatch.Completion last = head.completion(i).orElseThrow();
      emitter.emit(member, match(head.prefix(), stage, last.event()));
      emitted = true;
      long time = last.event().timestamp();
      for (WaitingMatch m : matches) {
        if (m.heldBy(i) && m.startsNoLaterThan(time, last.order())) {
          m.release(i);
        }
      }
    }
  }

  /**
   * The members that wait on any of {@code matches} and whose guard passes {@code event}, as bits
   * by member position; null where nothing can change: no member waits, or (unless {@code
   * endsWaits}, where a wait ends with the next event taken or not) no member's guard can pass,
   * which is known before any match is read. Each guard is tested at most once per event: it reads
   * nothing of the prefix, so any waiting match's prefix serves as its context.
   */
  private static long[] guardsPassed(
      RuleFamily family, List<WaitingMatch> matches, Event event, long time, boolean endsWaits)
      throws Exception {
    List<RuleFamily.Member> members = family.members();
    // Guards whose leading bound the event does not keep fail without being evaluated, and guards
    // that are a bound the event surely keeps pass without it.
    long[] mayPass = new long[(members.size() + 63) >>> 6];
    long[] surely = new long[mayPass.length];
    family.guards().candidates(event, mayPass, surely);
    if (!endsWaits && none(mayPass) && none(surely)) {
      return null;
    }
    long[] waiters = new long[mayPass.length];
    WaitingMatch any = null;
    for (WaitingMatch m : matches) {
      int words = m.waitingWords();
      if (words > waiters.length) {
        waiters = java.util.Arrays.copyOf(waiters, words);
      }
      for (int word = 0; word < words; word++) {
        waiters[word] |= m.waitingWord(word);
      }
      if (any == null && m.anyWaiting()) {
        any = m;
      }
    }
    if (any == null) {
      return null;
    }
    StagesContext context = new StagesContext(any.prefix(), time);
    long[] passed = new long[waiters.length];
    for (int word = 0; word < Math.min(waiters.length, mayPass.length); word++) {
      passed[word] = waiters[word] & surely[word];
      for (long bits = waiters[word] & mayPass[word]; bits != 0; bits &= bits - 1) {
        int i = word * 64 + Long.numberOfTrailingZeros(bits);
        if (members.get(i).split().guard().filter(event, context)) {
          passed[word] |= 1L << i;
        }
      }
    }
    return passed;
  }

  private static boolean none(long[] bits) {
    for (long word : bits) {
      if (word != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code member}'s final-stage conjuncts that read the prefix pass {@code event} on the
   * prefix match of {@code context}, tested once per match: {@code tested} and {@code passed} hold
   * the answers so far, by member index.
   */
  private static boolean conjunctsPass(
      RuleFamily.Member member,
      int index,
      Event event,
      StagesContext context,
      long[] tested,
      long[] passed)
      throws Exception {
    long bit = 1L << index;
    if ((tested[index >>> 6] & bit) == 0) {
      tested[index >>> 6] |= bit;
      if (member.split().matchConjuncts().orElseThrow().condition().filter(event, context)) {
        passed[index >>> 6] |= bit;
      }
    }
    return (passed[index >>> 6] & bit) != 0;
  }

  private static Map<String, List<Event>> match(
      Map<String, List<Event>> prefix, String stage, Event last) {
    Map<String, List<Event>> match = new LinkedHashMap<>(prefix);
    match.put(stage, List.of(last));
    return match;
  }

  /**
   * Turns prefix matches, completed by the key's event at position {@code order} among those of its
   * time, into matches waited on by each member that would hold them (its own NFA would have
   * started them and kept them to the event that completed the prefix).
   *
   * @return whether any was added
   */
  static boolean started(
      RuleFamily family,
      WaitingMatches waiting,
      Collection<Map<String, List<Event>>> prefixMatches,
      long order)
      throws Exception {
    assert waiting.members() == family.memberStateIds() : "numbered for other members";
    boolean added = false;
    List<RuleFamily.Member> members = family.members();
    for (Map<String, List<Event>> match : prefixMatches) {
      Event first = MatchTimes.firstEvent(match);
      long start = first.timestamp();
      long last = MatchTimes.lastTime(match);
      WaitingMatch m = null;
      for (int i = 0; i < members.size(); i++) {
        if (members.get(i).takes(start)
            && family.windows().fits(i, start, last)
            && family.startsOn(i, first)) {
          if (m == null) {
            m = new WaitingMatch(start, order, Collections.unmodifiableMap(match));
          }
          m.startWaiting(i);
        }
      }
      if (m != null) {
        waiting.matches().add(m);
        added = true;
      }
    }
    return added;
  }
}
