package io.vigil.dsl.check;

import java.util.List;
import java.util.Optional;

/** What an alert carries about its rule besides the match: for people and for routing. */
public record RuleMetadata(
    String title, Severity severity, List<String> tags, Optional<String> owner) {

  public RuleMetadata {
    tags = List.copyOf(tags);
  }
}
