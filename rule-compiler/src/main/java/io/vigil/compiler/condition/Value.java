package io.vigil.compiler.condition;

import io.vigil.compiler.event.Event;
import java.io.Serializable;

/**
 * A compiled value expression: returns the run-time representation of its type (see {@link
 * io.vigil.dsl.schema.Type}) or null when an operand is missing.
 */
interface Value extends Serializable {

  Object get(Event event, MatchView match);

  /** True when the value never changes, so that it can be folded at compile time. */
  default boolean constant() {
    return false;
  }
}
