package io.vigil.dsl.check;

import io.vigil.dsl.schema.StreamSchema;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The streams and the rules that passed checking, in source order. */
public record Program(Map<String, StreamSchema> streams, List<CheckedRule> rules) {

  public Program {
    streams = Map.copyOf(streams);
    rules = List.copyOf(rules);
  }

  public Optional<CheckedRule> rule(String id) {
    return rules.stream().filter(r -> r.id().equals(id)).findFirst();
  }
}
