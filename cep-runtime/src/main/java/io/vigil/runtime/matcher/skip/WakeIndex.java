package io.vigil.runtime.matcher.skip;

import io.vigil.compiler.event.Event;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The rules of one key whose partial matches only an event holding a particular text can move
 * ({@link NoOpSteps#wakes}), by stream, field and text. While a drain takes the key's events, an
 * event is shown to those rules only when it holds one of their texts: on a hot key with hundreds
 * of rules waiting (e.g. {@code then b: merchant == a.merchant and …}), an event costs a few
 * lookups instead of a condition test per rule.
 *
 * <p>It holds every live rule of the key, in one of three ways: indexed by text, woken by every
 * event ({@link #setWokenByEveryEvent}), or {@linkplain #unknown() not known} (its state changed
 * since it was last indexed). An entry is valid while the rule's NFA state on the key does not
 * change: the matcher {@linkplain #forget forgets} it with every change. The index lives with the
 * key's {@code KeyState} object between drains (not in checkpoints).
 */
public final class WakeIndex {

  // Every key with live rules has an index, so its parts are made on first use: most keys hold a
  // few rules, and most of the parts stay empty.

  private Map<String, Map<Integer, Map<Object, List<String>>>> byText;

  /** What wakes each indexed rule, to take it out again when its partial matches change. */
  private Map<String, Set<NoOpSteps.Wake>> byRule;

  /** The rules any event may move ({@link NoOpSteps#wakes} could not name texts). */
  private HashSet<String> everyEvent;

  /**
   * The live rules not indexed by text: those any event may move and those whose wakes are not
   * known. Kept as it changes, so that what a drain of one event visits is read without a test of
   * which parts are empty (tests whose rare outcomes made the JIT compile the drain again).
   */
  private HashSet<String> notByText;

  /** An index of live rules {@code live}, none of them known yet. */
  public WakeIndex(Collection<String> live) {
    if (!live.isEmpty()) {
      notByText = new HashSet<>(live);
    }
  }

  /**
   * The live rules the index does not know (what wakes them must be worked out again), as a list of
   * the caller's own.
   */
  public List<String> unknown() {
    List<String> unknown = new ArrayList<>(0);
    if (notByText != null) {
      for (String stateId : notByText) {
        if (everyEvent == null || !everyEvent.contains(stateId)) {
          unknown.add(stateId);
        }
      }
    }
    return unknown;
  }

  /** A live rule whose wakes may have changed (or a newly live one): no longer known. */
  public void forget(String stateId) {
    remove(stateId);
    notByText = with(notByText, stateId);
  }

  /** Whether the index holds {@code stateId}: indexed by text, or woken by every event. */
  public boolean knows(String stateId) {
    return (byRule != null && byRule.containsKey(stateId))
        || (everyEvent != null && everyEvent.contains(stateId));
  }

  /** The rules any event may move, as far as the index knows, as a set of the caller's own. */
  public HashSet<String> wokenByEveryEvent() {
    return everyEvent == null ? new HashSet<>() : new HashSet<>(everyEvent);
  }

  /**
   * The rules any event may move and those the index does not know: what a drain of one event
   * visits besides the rules its texts wake. Only to be read, and only until the index changes (it
   * may be the index's own set).
   */
  // Always a HashSet, never an immutable or wrapped one: the drain's hot loop that reads it then
  // sees one set class, and the JIT does not compile that loop again for another.
  public HashSet<String> visitedByEveryEvent() {
    return notByText == null ? new HashSet<>(0) : notByText;
  }

  /** Records that any event may move {@code stateId}, in place of what woke it before. */
  public void setWokenByEveryEvent(String stateId) {
    remove(stateId);
    everyEvent = with(everyEvent, stateId);
    notByText = with(notByText, stateId);
  }

  /** {@code set} (made if absent) with {@code stateId} added. */
  private static HashSet<String> with(HashSet<String> set, String stateId) {
    HashSet<String> out = set == null ? new HashSet<>(4) : set;
    out.add(stateId);
    return out;
  }

  /** Indexes {@code stateId} under {@code wakes}, in place of what woke it before. */
  public void set(String stateId, List<NoOpSteps.Wake> wakes) {
    remove(stateId);
    if (byRule == null) {
      byRule = new HashMap<>(4);
      byText = new HashMap<>(2);
    }
    // A rule's partial matches often wait for the same text (several starts at one merchant).
    Set<NoOpSteps.Wake> distinct = new LinkedHashSet<>(wakes);
    byRule.put(stateId, distinct);
    for (NoOpSteps.Wake wake : distinct) {
      byText
          .computeIfAbsent(wake.stream(), s -> new HashMap<>(2))
          .computeIfAbsent(wake.field(), f -> new HashMap<>(4))
          .computeIfAbsent(wake.value(), v -> new ArrayList<>(2))
          .add(stateId);
    }
  }

  /** Takes a rule that is no longer live on the key out of the index. */
  public void remove(String stateId) {
    if (everyEvent != null) {
      everyEvent.remove(stateId);
    }
    if (notByText != null) {
      notByText.remove(stateId);
    }
    Set<NoOpSteps.Wake> old = byRule == null ? null : byRule.remove(stateId);
    if (old == null) {
      return;
    }
    for (NoOpSteps.Wake wake : old) {
      Map<Object, List<String>> values = byText.get(wake.stream()).get(wake.field());
      List<String> ids = values.get(wake.value());
      ids.remove(stateId);
      if (ids.isEmpty()) {
        values.remove(wake.value());
      }
    }
  }

  /** Calls {@code action} with each rule that {@code event} may wake (a rule possibly twice). */
  public void woken(Event event, Consumer<String> action) {
    Map<Integer, Map<Object, List<String>>> fields =
        byText == null ? null : byText.get(event.stream());
    if (fields == null) {
      return;
    }
    for (Map.Entry<Integer, Map<Object, List<String>>> e : fields.entrySet()) {
      int field = e.getKey();
      Object value = field < event.size() ? event.value(field) : null;
      if (value != null) {
        List<String> ids = e.getValue().get(value);
        if (ids != null) {
          ids.forEach(action);
        }
      }
    }
  }
}
