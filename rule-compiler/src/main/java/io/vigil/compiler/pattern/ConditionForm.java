package io.vigil.compiler.pattern;

import io.vigil.dsl.check.TypedExpr;

/**
 * A stage condition (or part of one) as written, after type checking: two with equal forms (the
 * same stream and structurally equal expressions, constants included) are TRUE for the same event
 * and partial match, so a runtime may evaluate one for both.
 *
 * @param stream the stream whose events the condition can accept
 * @param expression the condition's typed expression
 */
public record ConditionForm(String stream, TypedExpr expression) {}
