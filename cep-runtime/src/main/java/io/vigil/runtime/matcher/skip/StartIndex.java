package io.vigil.runtime.matcher.skip;

import io.vigil.compiler.condition.BoundGroups;
import io.vigil.compiler.event.Event;
import io.vigil.compiler.rule.CompiledRule;
import io.vigil.runtime.rules.MatchingRule;
import io.vigil.runtime.rules.RuleBook;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of one (stream, partition spec) that an event may start, without start-testing every
 * one of them: a rule whose only start stage requires {@code field == "value"} for some fields (see
 * {@link MatchingRule#startValues()}) is only a candidate for events holding all those values. With
 * a rule set generated from templates (one merchant, site or country per rule) an event meets a
 * handful of candidates instead of every rule reading its stream; a rule that requires two values
 * ({@code status == "DECLINED" and country == "FR"}) is indexed by both together. Candidates still
 * get the full {@link MatchingRule#mayStart} test; the index only leaves out rules whose start test
 * cannot pass. Positions are indexes into {@link #readers}, so the matcher keeps visiting rules in
 * book order.
 *
 * <p>A rule without such values whose start condition requires a bound ({@code temperature > 83},
 * see {@link MatchingRule#startBounds()}) is a candidate only for events that keep it: rules of one
 * field and side are sorted by their constants ({@link BoundGroups}).
 */
public final class StartIndex {

  /** The list it was built from: the book hands out a new one on every change. */
  private final List<RuleBook.ActiveRule> readers;

  /** The stream whose events it indexes. */
  private final String stream;

  private final int[] unindexed;

  /** The indexed fields of each group of rules, in field order (a group per set of fields). */
  private final int[][] fields;

  /**
   * Per group, the rules by the values they require: the value itself for a group of one field (the
   * common case, no list per event), else the list of values in the order of the fields.
   */
  private final List<Map<Object, int[]>> byValues;

  /** The rules without start values that start only on events keeping a bound. */
  private final BoundGroups byBounds;

  private final Map<String, Integer> positions = new HashMap<>();

  /** The stream whose events it indexes. */
  public String stream() {
    return stream;
  }

  /** The rules it indexes, in book order: a rule's position is its index in this list. */
  public List<RuleBook.ActiveRule> readers() {
    return readers;
  }

  public StartIndex(String stream, List<RuleBook.ActiveRule> readers) {
    this.readers = readers;
    this.stream = stream;
    List<Integer> open = new ArrayList<>();
    List<BoundGroups.Bounded> bounded = new ArrayList<>();
    Map<List<Integer>, Map<Object, List<Integer>>> indexed = new LinkedHashMap<>();
    for (int p = 0; p < readers.size(); p++) {
      RuleBook.ActiveRule active = readers.get(p);
      positions.put(active.stateId(), p);
      if (active.draining()) {
        // A draining version starts nothing: it is only visited where it is live.
        continue;
      }
      List<MatchingRule.StartValue> start = active.rule().startValues();
      List<CompiledRule.StartBound> bounds = active.rule().startBounds();
      if (start.isEmpty() && !bounds.isEmpty()) {
        if (bounds.get(0).stream().equals(stream)) {
          bounded.add(new BoundGroups.Bounded(p, stream, bounds.get(0).bound()));
        }
      } else if (start.isEmpty()) {
        open.add(p);
      } else if (start.get(0).stream().equals(stream)) {
        List<Integer> group = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (MatchingRule.StartValue v : start) {
          group.add(v.field());
          values.add(v.value());
        }
        Object key = values.size() == 1 ? values.get(0) : List.copyOf(values);
        indexed
            .computeIfAbsent(List.copyOf(group), g -> new HashMap<>())
            .computeIfAbsent(key, v -> new ArrayList<>())
            .add(p);
      }
      // A rule whose only start stage reads another stream cannot start on this one.
    }
    this.unindexed = open.stream().mapToInt(Integer::intValue).toArray();
    this.byBounds = new BoundGroups(bounded);
    this.fields = new int[indexed.size()][];
    this.byValues = new ArrayList<>();
    int i = 0;
    for (Map.Entry<List<Integer>, Map<Object, List<Integer>>> e : indexed.entrySet()) {
      fields[i++] = e.getKey().stream().mapToInt(Integer::intValue).toArray();
      Map<Object, int[]> rules = new HashMap<>();
      e.getValue()
          .forEach((v, ps) -> rules.put(v, ps.stream().mapToInt(Integer::intValue).toArray()));
      byValues.add(rules);
    }
  }

  /** Sets the positions of the rules {@code event} may start. */
  public void candidates(Event event, BitSet out) {
    for (int p : unindexed) {
      out.set(p);
    }
    byBounds.forEachKept(event, out::set);
    for (int i = 0; i < fields.length; i++) {
      Object key = key(event, fields[i]);
      int[] hits = key == null ? null : byValues.get(i).get(key);
      if (hits != null) {
        for (int p : hits) {
          out.set(p);
        }
      }
    }
  }

  /**
   * The event's key in a group of {@code fields} (see {@link #byValues}); null if a value is
   * missing (no rule requires a null).
   */
  private static Object key(Event event, int[] fields) {
    if (fields.length == 1) {
      return fields[0] < event.size() ? event.value(fields[0]) : null;
    }
    Object[] values = new Object[fields.length];
    for (int j = 0; j < fields.length; j++) {
      values[j] = fields[j] < event.size() ? event.value(fields[j]) : null;
      if (values[j] == null) {
        return null;
      }
    }
    return List.of(values);
  }

  /** The position of a rule generation among the readers, or -1. */
  public int position(String stateId) {
    Integer p = positions.get(stateId);
    return p == null ? -1 : p;
  }
}
