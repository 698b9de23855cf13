package io.vigil.dsl.check;

import io.vigil.dsl.diagnostic.Diagnostic;
import java.util.List;

/**
 * The outcome of checking a set of sources: the program (only what is valid) and every diagnostic.
 * A rule with an error is left out of the program; the others are still usable.
 */
public record CheckResult(Program program, List<Diagnostic> diagnostics) {

  public CheckResult {
    diagnostics = List.copyOf(diagnostics);
  }

  public boolean hasErrors() {
    return diagnostics.stream().anyMatch(Diagnostic::isError);
  }

  public List<Diagnostic> errors() {
    return diagnostics.stream().filter(Diagnostic::isError).toList();
  }

  /** Every diagnostic rendered with source line, caret and hint. */
  public String render() {
    StringBuilder out = new StringBuilder();
    diagnostics.forEach(d -> out.append(d.render()));
    return out.toString();
  }
}
