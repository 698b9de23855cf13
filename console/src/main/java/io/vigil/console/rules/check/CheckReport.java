package io.vigil.console.rules.check;

import io.vigil.compiler.rule.CompiledRule;
import java.util.List;
import java.util.Optional;

/**
 * What the compiler says about one rule's source against the stored stream declarations.
 *
 * @param ruleId the declared rule name, when the source declares one
 * @param rule the compiled rule, when it has no error
 * @param explanation the text of {@code vigil explain} for the compiled rule
 */
public record CheckReport(
    Optional<String> ruleId,
    List<Finding> findings,
    Optional<CompiledRule> rule,
    Optional<String> explanation) {

  public CheckReport {
    findings = List.copyOf(findings);
  }

  public boolean hasErrors() {
    return findings.stream().anyMatch(Finding::error) || rule.isEmpty();
  }

  public long errorCount() {
    return findings.stream().filter(Finding::error).count();
  }
}
