package io.vigil.compiler.drools;

import io.vigil.compiler.event.Event;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.drools.core.time.TimerService;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.FactHandle;
import org.kie.api.time.SessionPseudoClock;

/**
 * The session of one key of a stateful DRL rule set, on Drools Fusion's pseudo clock driven by
 * event time: before each fact is inserted the clock is set to the fact's time, facts older than
 * the rule set's {@code expire after} are retracted, and the rules fire. Facts must come in event
 * time order; a fact dated before the clock is taken at the clock's time.
 *
 * <p>Time passes in steps, as if the clock ran continuously: moving it to a later time stops at
 * every instant in between where Drools has a timer pending (the deadline of a {@code not … after}
 * absence, a {@code timer}, an implied expiry) or a fact expires, retracts what expired and fires
 * the rules there. So an absence fires at its deadline. A fact lives from its time until just
 * before its time plus the expiry. {@link #nextDue()} says when the next such instant is, so that
 * the runtime can move the clock there when event time (the watermark) passes it.
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
    // What is due before the event's time happens first; what is due at its time happens with it
    // (an ack at an absence's last instant still answers it).
    List<RaisedAlert> raised = new ArrayList<>(passTime(event.timestamp() - 1));
    moveClock(event.timestamp());
    retractExpired();
    held.addLast(new Held(event, session.insert(fact)));
    while (held.size() > rules.limits().maxFactsPerKey()) {
      retract(held.removeFirst());
      droppedByCap++;
    }
    raised.addAll(rules.fire(session));
    return raised;
  }

  /**
   * Moves the clock to {@code time} (if later) through every due instant before it ({@link
   * #nextDue()}), firing the rules at each, and retracts what expired by then; the alerts raised.
   */
  public List<RaisedAlert> advanceTo(long time) {
    List<RaisedAlert> raised = passTime(time);
    moveClock(time);
    retractExpired();
    raised.addAll(rules.fire(session));
    return raised;
  }

  /** Steps through every due instant up to {@code time}, firing the rules at each. */
  private List<RaisedAlert> passTime(long time) {
    List<RaisedAlert> raised = new ArrayList<>();
    for (OptionalLong due = nextDue();
        due.isPresent() && due.getAsLong() <= time;
        due = nextDue()) {
      moveClock(due.getAsLong());
      retractExpired();
      raised.addAll(rules.fire(session));
    }
    return raised;
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
  public OptionalLong nextExpiry() {
    return held.isEmpty()
        ? OptionalLong.empty()
        : OptionalLong.of(
            held.peekFirst().event().timestamp() + rules.header().expireAfterMillis());
  }

  /**
   * The next instant after the clock where something happens without a new fact: a timer Drools has
   * pending, or the oldest fact's expiry; empty when neither.
   */
  public OptionalLong nextDue() {
    long now = clock.getCurrentTime();
    long toJob = ((TimerService) clock).getTimeToNextJob();
    OptionalLong expiry = nextExpiry();
    long due = Long.MAX_VALUE;
    if (toJob >= 0) {
      // A job already due (its time not after the clock) runs at the next move of the clock.
      due = now + Math.max(toJob, 1);
    }
    if (expiry.isPresent()) {
      due = Math.min(due, Math.max(expiry.getAsLong(), now + 1));
    }
    return due == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(due);
  }

  /** Facts retracted because the key held {@link DecisionLimits#maxFactsPerKey()}, so far. */
  public long droppedByCap() {
    return droppedByCap;
  }

  private void moveClock(long time) {
    long now = clock.getCurrentTime();
    if (time > now) {
      // Drools runs the timer jobs due by then inside the move.
      clock.advanceTime(time - now, TimeUnit.MILLISECONDS);
    }
  }

  private void retractExpired() {
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
