package io.vigil.compiler.rule;

import io.vigil.dsl.diagnostic.Diagnostic;
import io.vigil.dsl.schema.StreamSchema;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of compiling a set of sources: every rule that compiled, the declared streams, and
 * every diagnostic (the checker's and Flink's structural refusals at the rule's position). A rule
 * with an error is left out; the others are usable.
 */
public record Compilation(
    Map<String, StreamSchema> streams, List<CompiledRule> rules, List<Diagnostic> diagnostics) {

  public Compilation {
    streams = Map.copyOf(streams);
    rules = List.copyOf(rules);
    diagnostics = List.copyOf(diagnostics);
  }

  public boolean hasErrors() {
    return diagnostics.stream().anyMatch(Diagnostic::isError);
  }

  public List<Diagnostic> errors() {
    return diagnostics.stream().filter(Diagnostic::isError).toList();
  }

  public Optional<CompiledRule> rule(String id) {
    return rules.stream().filter(r -> r.id().equals(id)).findFirst();
  }

  /** Every diagnostic rendered with source line, caret and hint. */
  public String render() {
    StringBuilder out = new StringBuilder();
    diagnostics.forEach(d -> out.append(d.render()));
    return out.toString();
  }
}
