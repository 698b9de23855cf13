package io.vigil.compiler.pattern;

import io.vigil.compiler.condition.RequiredValue;
import java.util.List;

/**
 * What a compiled stage condition requires of an event before it can be true: being of the stage's
 * stream, and holding each of {@link #requiredValues()}. Flink's conditions built by the rule
 * compiler implement it, so that the runtime can tell which events cannot move a partial match
 * without evaluating the condition for each.
 */
public interface StageRequirements {

  /** The stream whose events the condition can accept. */
  String stream();

  /** Texts the event must hold (see {@link RequiredValue}); may be empty. */
  List<RequiredValue> requiredValues();

  /**
   * The bound that leads the condition (see {@link
   * io.vigil.compiler.condition.CompiledCondition#leadingBound}): an event of the stream that does
   * not keep it fails the condition, and nothing evaluated for it could have failed.
   */
  java.util.Optional<io.vigil.compiler.condition.RequiredBound> leadingBound();

  /**
   * Whether the condition is its {@link #leadingBound} and nothing else: an event of the stream
   * whose field keeps the bound passes it (see {@link
   * io.vigil.compiler.condition.CompiledCondition#isOnlyLeadingBound}).
   */
  boolean isOnlyLeadingBound();

  /**
   * The condition's form when its evaluation cannot fail (see {@link
   * io.vigil.compiler.condition.CompiledCondition#failureFreeExpression}): conditions with equal
   * forms pass the same events.
   */
  java.util.Optional<ConditionForm> failureFreeForm();
}
