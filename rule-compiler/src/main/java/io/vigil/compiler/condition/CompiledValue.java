package io.vigil.compiler.condition;

import io.vigil.compiler.event.Event;
import io.vigil.dsl.schema.Type;
import java.io.Serializable;
import java.util.Optional;

/** A value expression compiled to a closure tree (used by alert-template holes). */
public final class CompiledValue implements Serializable {

  private static final long serialVersionUID = 1L;

  private final Value root;
  private final Type type;

  CompiledValue(Value root, Type type) {
    this.root = root;
    this.type = type;
  }

  /** The value in its run-time representation, empty when an operand is missing. */
  public Optional<Object> evaluate(Event event, MatchView match) {
    return Optional.ofNullable(root.get(event, match));
  }

  public Type type() {
    return type;
  }
}
