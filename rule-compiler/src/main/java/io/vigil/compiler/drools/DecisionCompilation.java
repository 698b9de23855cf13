package io.vigil.compiler.drools;

import io.vigil.dsl.diagnostic.Diagnostic;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of compiling one DRL rule set: the rule set when it has no error, and diagnostics.
 */
public record DecisionCompilation(Optional<DecisionRuleSet> ruleSet, List<Diagnostic> diagnostics) {

  public DecisionCompilation {
    diagnostics = List.copyOf(diagnostics);
  }

  public List<Diagnostic> errors() {
    return diagnostics.stream().filter(Diagnostic::isError).toList();
  }

  public boolean hasErrors() {
    return diagnostics.stream().anyMatch(Diagnostic::isError);
  }

  /** Every diagnostic rendered with source line, caret and hint. */
  public String render() {
    StringBuilder out = new StringBuilder();
    diagnostics.forEach(d -> out.append(d.render()));
    return out.toString();
  }
}
