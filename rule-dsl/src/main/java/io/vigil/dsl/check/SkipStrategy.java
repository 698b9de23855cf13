package io.vigil.dsl.check;

import io.vigil.dsl.ast.RuleDecl.Skip.Kind;
import java.util.Optional;

/** After-match skip strategy; {@code stage} is present for TO_FIRST and TO_LAST. */
public record SkipStrategy(Kind kind, Optional<String> stage) {

  public static SkipStrategy noSkip() {
    return new SkipStrategy(Kind.NONE, Optional.empty());
  }

  public String text() {
    return switch (kind) {
      case NONE -> "none";
      case TO_NEXT -> "to next";
      case PAST_LAST_EVENT -> "past last event";
      case TO_FIRST -> "to first " + stage.orElseThrow();
      case TO_LAST -> "to last " + stage.orElseThrow();
    };
  }
}
