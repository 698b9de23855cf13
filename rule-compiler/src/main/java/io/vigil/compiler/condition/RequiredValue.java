package io.vigil.compiler.condition;

import io.vigil.compiler.event.Event;
import java.io.Serializable;
import java.util.Objects;

/**
 * A text an event must hold for a condition to be true: the condition is {@code field == x and …}
 * with {@code x} a constant or a field of an earlier stage ({@code merchant == a.merchant}). An
 * event whose field holds anything else (or nothing) fails the condition, whatever the rest says.
 * The matcher uses it to leave aside the partial matches an event cannot move.
 */
public final class RequiredValue implements Serializable {

  private static final long serialVersionUID = 1L;

  private final int field;
  private final Value source;

  RequiredValue(int field, Value source) {
    this.field = field;
    this.source = Objects.requireNonNull(source, "source");
  }

  /** The index of the field, in the schema of the condition's stream. */
  public int field() {
    return field;
  }

  /**
   * The text required, read from {@code match} when it names an earlier stage; null when the
   * condition cannot be true at all (e.g. the earlier stage has no such value).
   */
  public Object value(MatchView match) {
    return source.get((Event) null, match);
  }

  /** Whether {@link #value} reads the partial match (otherwise it is a constant). */
  public boolean readsMatch() {
    return !source.constant();
  }
}
