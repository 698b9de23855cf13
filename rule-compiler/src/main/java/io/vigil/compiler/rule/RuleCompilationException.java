package io.vigil.compiler.rule;

import io.vigil.dsl.diagnostic.Diagnostic;

/**
 * A checked rule that Flink still refuses (a structural limit the checker does not know yet). It
 * carries the diagnostic at the rule's position; {@link RuleCompiler#compile(java.util.List)}
 * reports it instead of throwing.
 */
public final class RuleCompilationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Diagnostic diagnostic;

  RuleCompilationException(Diagnostic diagnostic, Throwable cause) {
    super(diagnostic.headline(), cause);
    this.diagnostic = diagnostic;
  }

  public Diagnostic diagnostic() {
    return diagnostic;
  }
}
