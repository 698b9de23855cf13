package io.vigil.compiler.rule;

import io.vigil.compiler.condition.MatchView;
import io.vigil.compiler.event.Event;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A complete or timed-out match (stage name → events, as Flink hands it out) with its key. */
record CompleteMatch(Map<String, List<Event>> events, Optional<RuleKey> key) implements MatchView {

  @Override
  public Iterable<Event> events(String stage) {
    List<Event> accepted = events.get(stage);
    return accepted == null ? List.of() : accepted;
  }

  @Override
  public Object key(int position) {
    return key.map(k -> k.value(position)).orElse(null);
  }
}
