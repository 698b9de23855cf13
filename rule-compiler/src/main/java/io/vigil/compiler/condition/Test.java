package io.vigil.compiler.condition;

import io.vigil.compiler.event.Event;
import java.io.Serializable;

/**
 * A compiled boolean expression under three-valued logic. A test is TRUE, FALSE or UNKNOWN (an
 * operand was null); instead of returning a third value, a node answers two questions, so that the
 * common case (a conjunction of comparisons) runs one call per node and allocates nothing:
 *
 * <ul>
 *   <li>{@link #isTrue}: the expression is TRUE;
 *   <li>{@link #isFalse}: the expression is FALSE. UNKNOWN is neither.
 * </ul>
 *
 * A stage accepts an event only when its condition {@link #isTrue}.
 */
interface Test extends Serializable {

  boolean isTrue(Event event, MatchView match);

  boolean isFalse(Event event, MatchView match);
}
