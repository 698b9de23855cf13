package io.vigil.runtime.matching;

import io.vigil.compiler.event.Event;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of one (stream, partition spec) that an event may start, without start-testing every
 * one of them: a rule whose only start stage requires {@code field == "value"} (see {@link
 * MatchingRule#startValue()}) is only a candidate for events holding that value. With a rule set
 * generated from templates (one merchant, site or country per rule) an event meets a handful of
 * candidates instead of every rule reading its stream. Candidates still get the full {@link
 * MatchingRule#mayStart} test; the index only leaves out rules whose start test cannot pass.
 * Positions are indexes into {@link #readers}, so the matcher keeps visiting rules in book order.
 */
final class StartIndex {

  /** The list it was built from: the book hands out a new one on every change. */
  final List<RuleBook.ActiveRule> readers;

  /** The stream whose events it indexes. */
  final String stream;

  private final int[] unindexed;
  private final int[] fields;
  private final List<Map<Object, int[]>> byValue;
  private final Map<String, Integer> positions = new HashMap<>();

  StartIndex(String stream, List<RuleBook.ActiveRule> readers) {
    this.readers = readers;
    this.stream = stream;
    List<Integer> open = new ArrayList<>();
    Map<Integer, Map<Object, List<Integer>>> indexed = new HashMap<>();
    for (int p = 0; p < readers.size(); p++) {
      RuleBook.ActiveRule active = readers.get(p);
      positions.put(active.stateId(), p);
      if (active.draining()) {
        // A draining version starts nothing: it is only visited where it is live.
        continue;
      }
      java.util.Optional<MatchingRule.StartValue> start = active.rule().startValue();
      if (start.isEmpty()) {
        open.add(p);
      } else if (start.get().stream().equals(stream)) {
        indexed
            .computeIfAbsent(start.get().field(), f -> new HashMap<>())
            .computeIfAbsent(start.get().value(), v -> new ArrayList<>())
            .add(p);
      }
      // A rule whose only start stage reads another stream cannot start on this one.
    }
    this.unindexed = open.stream().mapToInt(Integer::intValue).toArray();
    this.fields = new int[indexed.size()];
    this.byValue = new ArrayList<>();
    int i = 0;
    for (Map.Entry<Integer, Map<Object, List<Integer>>> e : indexed.entrySet()) {
      fields[i++] = e.getKey();
      Map<Object, int[]> values = new HashMap<>();
      e.getValue()
          .forEach((v, ps) -> values.put(v, ps.stream().mapToInt(Integer::intValue).toArray()));
      byValue.add(values);
    }
  }

  /** Sets the positions of the rules {@code event} may start. */
  void candidates(Event event, BitSet out) {
    for (int p : unindexed) {
      out.set(p);
    }
    for (int i = 0; i < fields.length; i++) {
      Object value = fields[i] < event.size() ? event.value(fields[i]) : null;
      if (value != null) {
        int[] hits = byValue.get(i).get(value);
        if (hits != null) {
          for (int p : hits) {
            out.set(p);
          }
        }
      }
    }
  }

  /** The position of a rule generation among the readers, or -1. */
  int position(String stateId) {
    Integer p = positions.get(stateId);
    return p == null ? -1 : p;
  }
}
