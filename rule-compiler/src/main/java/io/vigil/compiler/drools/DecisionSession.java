package io.vigil.compiler.drools;

import io.vigil.compiler.event.Event;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.FactHandle;
import org.kie.api.time.SessionPseudoClock;

/**
 * The session of one key of a stateful DRL rule set, on Drools Fusion's pseudo clock driven by
 * event time: before each fact is inserted the clock is set to the fact's time, facts older than
 * the rule set's {@code expire after} are retracted, and the rules fire. Facts must come in event
 * time order; a fact dated before the clock is taken at the clock's time.
 *
 * <p>What it holds is plain data: {@link #facts()} (the events inserted and still live, oldest
 * first). A session with the same facts is built again by {@link #replay} (the alerts raised while
 * replaying are dropped: they were raised when the facts first came), which is how the runtime
 * restores it after a failure or keeps it across a new version of the rule set.
 */
public final class DecisionSession implements AutoCloseable {

  private record Held(Event event, FactHandle handle) {}

  private final DecisionRuleSet rules;
  private final KieSession session;
  private final SessionPseudoClock clock;
  private final Deque<Held> held = new ArrayDeque<>();
  private long droppedByCap;

  DecisionSession(DecisionRuleSet rules, KieSession session) {
    this.rules = rules;
    this.session = session;
    this.clock = session.getSessionClock();
  }

  /**
   * Inserts {@code event} at its time and fires the rules; the alerts raised.
   *
   * @throws DecisionLimitException when the evaluation was cut: the session is then unusable (close
   *     it and replay its previous facts)
   */
  public List<RaisedAlert> insert(Event event) {
    Object fact = rules.fact(event);
    advanceClock(event.timestamp());
    held.addLast(new Held(event, session.insert(fact)));
    while (held.size() > rules.limits().maxFactsPerKey()) {
      retract(held.removeFirst());
      droppedByCap++;
    }
    return rules.fire(session);
  }

  /** Moves the clock to {@code time} (if later), retracts what expired and fires the rules. */
  public List<RaisedAlert> advanceTo(long time) {
    advanceClock(time);
    return rules.fire(session);
  }

  /** Builds this (fresh) session's facts again; what the rules raise meanwhile is dropped. */
  public void replay(List<Event> facts) {
    for (Event fact : facts) {
      insert(fact);
    }
  }

  /** The live facts, oldest first. */
  public List<Event> facts() {
    List<Event> out = new ArrayList<>(held.size());
    held.forEach(h -> out.add(h.event()));
    return out;
  }

  /** The session clock (epoch ms of the latest fact or advance; 0 before the first). */
  public long now() {
    return clock.getCurrentTime();
  }

  /** When the oldest live fact expires; empty without facts. */
  public java.util.OptionalLong nextExpiry() {
    return held.isEmpty()
        ? java.util.OptionalLong.empty()
        : java.util.OptionalLong.of(
            held.peekFirst().event().timestamp() + rules.header().expireAfterMillis());
  }

  /** Facts retracted because the key held {@link DecisionLimits#maxFactsPerKey()}, so far. */
  public long droppedByCap() {
    return droppedByCap;
  }

  private void advanceClock(long time) {
    long now = clock.getCurrentTime();
    if (time > now) {
      clock.advanceTime(time - now, TimeUnit.MILLISECONDS);
    }
    long expire = rules.header().expireAfterMillis();
    long current = clock.getCurrentTime();
    while (!held.isEmpty() && held.peekFirst().event().timestamp() + expire <= current) {
      retract(held.removeFirst());
    }
  }

  private void retract(Held fact) {
    // Drools may have expired it itself (temporal constraints imply expirations).
    if (session.getObject(fact.handle()) != null) {
      session.delete(fact.handle());
    }
  }

  @Override
  public void close() {
    session.dispose();
  }
}
