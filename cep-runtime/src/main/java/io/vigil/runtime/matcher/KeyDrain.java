package io.vigil.runtime.matcher;

import io.vigil.compiler.event.Event;
import io.vigil.runtime.matcher.EventQueue.Pending;
import io.vigil.runtime.matcher.skip.NoOpSteps;
import io.vigil.runtime.matcher.skip.StartIndex;
import io.vigil.runtime.matcher.skip.WakeIndex;
import io.vigil.runtime.matcher.state.KeyState;
import io.vigil.runtime.matcher.state.WaitingMatches;
import io.vigil.runtime.routing.RoutingKeys;
import io.vigil.runtime.rules.RuleBook;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.cep.nfa.NFAState;
import org.apache.flink.metrics.Counter;

/**
 * Runs one key (Flink's current key) up to the watermark: its events, in time order, through the
 * rules that may start or move a match on them, then those rules to the watermark; with no events
 * (a timer), every rule live on the key to the watermark.
 *
 * <p>One event's way, e.g. {@code payments {card: "c1", merchant: "m7", amount: 2.50}} at t = 1 000
 * on key {@code card⟨c1⟩}, watermark 1 200, rules {@code test-m7} ({@code a: merchant == "m7" and
 * amount < 3.00 {2,} consecutive then big: amount > 500}, within 10m), {@code test-m9} (the same
 * for m9) and {@code travel} (live on the key, waiting for {@code b: channel == "POS" and country
 * != a.country}):
 *
 * <ol>
 *   <li>The {@link StartIndex} of (payments, card) names the rules whose start stage the event may
 *       pass: {@code test-m7} (indexed under merchant m7), not {@code test-m9} (indexed under m9).
 *   <li>The key's {@link WakeIndex} names the live rules the event may move: {@code travel} is
 *       indexed under {@code channel = "POS"}, the event is a web payment, so it is not visited.
 *   <li>{@code test-m7} is not live on the key: its {@code mayStart} test passes, so it gets a new
 *       NFA state and {@link RuleWork}; {@link RuleSteps#advance} to 1 000 (skipped: nothing can
 *       time out), {@link RuleSteps#process} steps the NFA, which starts a partial match. The
 *       rule's wake index entry is worked out again if more events of the key follow in this drain.
 *   <li>At the end: every rule that saw an event advances to the watermark 1 200 (timeouts, trims),
 *       {@code test-m7} stays live (it has a partial match) and joins {@link KeyState}; the key's
 *       timer is armed at its earliest possible expiry (1 000 + 10 min), and the key's state is
 *       written back once. (Had no rule stayed live, the key would keep no state and no timer.)
 * </ol>
 */
final class KeyDrain {

  private final RuleBook book;
  private final RuleRuntimes runtimes;
  private final StartIndexes startIndexes;
  private final RuleSteps steps;
  private final PartialMatchCap cap;
  private final KeyTimers timers;
  private final ValueState<KeyState> keyState;
  private final Counter expiredKeys;

  /** Whether the last {@link #finish} changed the key's state. */
  private boolean finished;

  KeyDrain(
      RuleBook book,
      RuleRuntimes runtimes,
      StartIndexes startIndexes,
      RuleSteps steps,
      PartialMatchCap cap,
      KeyTimers timers,
      ValueState<KeyState> keyState,
      Counter expiredKeys) {
    this.book = book;
    this.runtimes = runtimes;
    this.startIndexes = startIndexes;
    this.steps = steps;
    this.cap = cap;
    this.timers = timers;
    this.keyState = keyState;
    this.expiredKeys = expiredKeys;
  }

  /**
   * Drains the current key {@code key}: {@code events} (at least one) in time order.
   *
   * <p>A timer's drain is {@link #timer}, a method of its own: the two share only their ends, and
   * this one, the matcher's largest, then runs one path the JIT compiles once, not again when the
   * first timers fire.
   */
  void drain(String key, List<Pending> events, long watermark) throws Exception {
    String spec = RoutingKeys.specOf(key);
    KeyState rules = keyState();
    Set<String> liveSet = rules.liveStateIds();
    Map<String, RuleWork> work = new LinkedHashMap<>();
    // Per event, the rules visited are the start-index candidates and the live rules the event may
    // move, in book order. The others could neither start a match on it (see StartIndex) nor move
    // one (see NoOpSteps.wakes). Which live rules an event may move, the key's wake index says: it
    // names the texts that wake a rule, or that every event may (`always`). A rule the index does
    // not know (its state changed since) is indexed again when the key has several events to
    // drain; with one, working that out costs about as much as the visit, and it is simply visited.
    WakeIndex wakeIndex = rules.wakeIndex();
    HashSet<String> always;
    if (events.size() > 1) {
      always = wakeIndex.wokenByEveryEvent();
      for (String stateId : wakeIndex.unknown()) {
        RuleWork w = liveWork(stateId, rules, work);
        if (w == null || !index(stateId, w, wakeIndex)) {
          always.add(stateId);
        }
      }
    } else {
      // One event: the set is only read, and most drains are of one event.
      always = wakeIndex.visitedByEveryEvent();
    }
    StartIndex index = null;
    BitSet alwaysBits = new BitSet();
    // The work of the index's readers by position: the (event, rule) loop needs no map lookup.
    RuleWork[] byPosition = new RuleWork[0];
    for (int i = 0; i < events.size(); i++) {
      Pending pendingEvent = events.get(i);
      boolean more = i + 1 < events.size();
      long t = pendingEvent.ts();
      Event event = pendingEvent.routed().event();
      StartIndex current = startIndexes.of(event.stream(), spec);
      if (current != index) {
        index = current;
        alwaysBits = new BitSet();
        byPosition = new RuleWork[index.readers().size()];
        for (String id : always) {
          setPosition(index, id, alwaysBits);
        }
        for (Map.Entry<String, RuleWork> e : work.entrySet()) {
          int p = index.position(e.getKey());
          if (p >= 0) {
            byPosition[p] = e.getValue();
          }
        }
      }
      BitSet visit = (BitSet) alwaysBits.clone();
      index.candidates(event, visit);
      StartIndex visiting = index;
      wakeIndex.woken(event, id -> setPosition(visiting, id, visit));
      for (int p = visit.nextSetBit(0); p >= 0; p = visit.nextSetBit(p + 1)) {
        RuleBook.ActiveRule active = index.readers().get(p);
        if (t < active.activeFrom()) {
          continue;
        }
        RuleWork w = byPosition[p];
        if (w == null) {
          if (liveSet.contains(active.stateId())) {
            w = liveWork(active.stateId(), rules, work);
          } else if (active.draining() || !active.rule().mayStart(event)) {
            // A draining previous version never starts a match.
            continue;
          } else {
            RuleRuntime runtime = runtimes.of(active);
            w = new RuleWork(runtime, runtime.nfa.createInitialNFAState(), active.draining(), null);
            work.put(active.stateId(), w);
          }
          byPosition[p] = w;
        }
        steps.advance(w, t, false);
        boolean stepped = steps.process(w, event, t, pendingEvent.seq());
        if (w.draining && RuleWork.stopStarting(w.state)) {
          w.changed();
        }
        if (stepped && more) {
          // Its partial matches changed, and so may what wakes them: index it again (one
          // traversal, about the cost of one no-op test), or it would see every later event.
          if (index(active.stateId(), w, wakeIndex)) {
            if (always.remove(active.stateId())) {
              alwaysBits.clear(p);
            }
          } else if (always.add(active.stateId())) {
            alwaysBits.set(p);
          }
        }
        cap.reportDrops(w, key);
      }
    }
    settle(key, rules, work, false, events.get(events.size() - 1).ts(), watermark);
  }

  /**
   * The timer of the current key {@code key}: every rule of the key advances to the watermark,
   * which prunes its windows and reports its timeouts, and an idle key loses its state. (A drain of
   * events leaves the rules that saw none to the key's timer, which is due by the earliest time any
   * of them can time out: see {@link KeyTimers#arm}.)
   */
  void timer(String key, long watermark) throws Exception {
    KeyState rules = keyState();
    Map<String, RuleWork> work = new LinkedHashMap<>();
    boolean rulesChanged = false;
    for (String stateId : List.copyOf(rules.liveStateIds())) {
      if (liveWork(stateId, rules, work) == null) {
        // Stopped: its release clears it on every key; this key need not wait for that.
        rules.remove(stateId);
        rulesChanged = true;
      }
    }
    if (rules.isEmpty()) {
      // No live rule (a timer that outlived the key's rules, a key stored without any, or its
      // rules all stopped): nothing to keep, nothing to advance.
      keyState.clear();
      return;
    }
    settle(key, rules, work, rulesChanged, KeyState.NONE, watermark);
  }

  /** The current key's state, new when it has none. */
  private KeyState keyState() throws Exception {
    KeyState rules = keyState.value();
    return rules == null ? new KeyState() : rules;
  }

  /**
   * Ends a drain: the rules worked on go to the watermark ({@link #finish}); a key left without
   * live rules keeps nothing; otherwise the key's latest event ({@code lastEvent}, or {@link
   * KeyState#NONE} for a timer) is recorded, an idle key's state goes, the key's timer is armed,
   * and its state is written back if anything changed.
   */
  private void settle(
      String key,
      KeyState rules,
      Map<String, RuleWork> work,
      boolean changed,
      long lastEvent,
      long watermark)
      throws Exception {
    boolean rulesChanged = changed;
    long windowExpiry = finish(work, rules, rules.wakeIndex(), watermark);
    rulesChanged |= finished;
    if (rules.isEmpty()) {
      if (rulesChanged) {
        keyState.clear();
      }
      return;
    }
    if (lastEvent != KeyState.NONE) {
      rulesChanged |= timers.touch(lastEvent, rules);
    }
    if (expireIfIdle(watermark, rules)) {
      return;
    }
    rulesChanged |= timers.arm(windowExpiry, watermark, rules);
    assert rules.consistent() : "key state of " + key + " is inconsistent";
    if (rulesChanged) {
      keyState.update(rules);
    }
  }

  /**
   * Takes every rule worked on to the watermark and back into the key's state: a rule with partial
   * matches stays live, one without leaves the key. Sets {@link #finished}.
   *
   * @return the earliest time a partial match of these rules can expire, for the key's timer
   */
  private long finish(
      Map<String, RuleWork> work, KeyState rules, WakeIndex wakeIndex, long watermark)
      throws Exception {
    boolean rulesChanged = false;
    long nextExpiry = Long.MAX_VALUE;
    for (Map.Entry<String, RuleWork> e : work.entrySet()) {
      RuleWork w = e.getValue();
      // At the watermark: what it times out, and the trim of the buffer's event counters once
      // TRIM_EVERY steps have added to them.
      steps.advance(w, watermark, w.untrimmedSteps >= RuleWork.TRIM_EVERY);
      boolean leaving = w.done();
      if (leaving) {
        // Nothing of a rule that leaves the key may stay behind in its buffer.
        steps.advance(w, watermark, true);
      }
      w.closeAccessor();
      w.runtime.metrics.livePartialMatchesChanged(
          w.liveCount() - (long) w.livePartialMatchesBefore);
      if (leaving) {
        rulesChanged |= rules.remove(e.getKey());
      } else {
        if (w.state.isStateChanged()) {
          w.state.resetStateChanged();
          w.state.resetNewStartPartialMatch();
          rulesChanged = true;
        }
        rulesChanged |= rules.keep(e.getKey(), w.state);
        if (w.waiters != null) {
          rulesChanged |= rules.waitingMatches(e.getKey(), w.waiters) || w.waitersChanged;
        }
        if ((w.changes > 0 && w.changes != w.indexedAt) || !wakeIndex.knows(e.getKey())) {
          // New on the key, or what wakes it may have changed since it was indexed: the next drain
          // that needs to know works it out again.
          wakeIndex.forget(e.getKey());
        }
        rulesChanged |= rules.untrimmed(e.getKey(), w.untrimmedSteps);
        if (!w.runtime.stageWindows) {
          nextExpiry = Math.min(nextExpiry, w.horizon());
        }
      }
    }
    finished = rulesChanged;
    return nextExpiry;
  }

  /**
   * Indexes a live rule under the texts that may wake its partial matches ({@link
   * NoOpSteps#wakes}); false, and out of the index, when any event may move them.
   */
  private static boolean index(String stateId, RuleWork w, WakeIndex wakeIndex) throws Exception {
    // A family's waiting final stages may take any event of its streams.
    Optional<List<NoOpSteps.Wake>> wakes =
        w.waiters != null && !w.waiters.isEmpty()
            ? Optional.empty()
            : w.runtime.noOpSteps.wakes(w.accessor(), w.state, w.matchedEvents);
    w.indexedAt = w.changes;
    if (wakes.isPresent()) {
      wakeIndex.set(stateId, wakes.get());
      return true;
    }
    wakeIndex.setWokenByEveryEvent(stateId);
    return false;
  }

  /** The work of a live rule generation, created on first use; null if it is no longer active. */
  private RuleWork liveWork(String stateId, KeyState rules, Map<String, RuleWork> work)
      throws Exception {
    RuleWork w = work.get(stateId);
    if (w != null) {
      return w;
    }
    Optional<RuleBook.ActiveRule> active = book.activeByStateId(stateId);
    NFAState state = rules.nfaState(stateId);
    if (active.isEmpty() || state == null) {
      return null;
    }
    w =
        new RuleWork(
            runtimes.of(active.get()),
            state,
            active.get().draining(),
            rules.waitingMatches(stateId));
    w.untrimmedSteps = rules.untrimmedSteps(stateId);
    work.put(stateId, w);
    return w;
  }

  private static void setPosition(StartIndex index, String stateId, BitSet bits) {
    int p = index.position(stateId);
    if (p >= 0) {
      bits.set(p);
    }
  }

  /**
   * Drops every piece of state of a key whose last event is older than the idle-key TTL.
   *
   * @return whether the key's state is gone
   */
  private boolean expireIfIdle(long watermark, KeyState rules) throws Exception {
    if (!timers.idle(rules, watermark)) {
      return false;
    }
    // Only live rules hold NFA state and shared-buffer entries on this key.
    for (Map.Entry<String, NFAState> e : rules.nfaStates()) {
      Optional<RuleRuntime> runtime = runtimes.ofRunning(e.getKey());
      if (runtime.isPresent()) {
        WaitingMatches waiting = rules.waitingMatches(e.getKey());
        long live = RuleWork.liveCount(e.getValue()) + (waiting == null ? 0 : waiting.count());
        runtime.get().metrics.livePartialMatchesChanged(-live);
        runtime.get().clearCurrentKey();
      }
    }
    keyState.clear();
    expiredKeys.inc();
    return true;
  }
}
