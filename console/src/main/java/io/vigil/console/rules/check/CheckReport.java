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
 * @param decisionRuleSet the source is a DRL rule set (docs/drools.md) that compiles: it has no
 *     {@code rule}, and is deployed with {@code vigil deploy} (the console deploys pattern rules)
 */
public record CheckReport(
    Optional<String> ruleId,
    List<Finding> findings,
    Optional<CompiledRule> rule,
    Optional<String> explanation,
    boolean decisionRuleSet) {

  public CheckReport {
    findings = List.copyOf(findings);
  }

  /** The report on a pattern-language rule. */
  public CheckReport(
      Optional<String> ruleId,
      List<Finding> findings,
      Optional<CompiledRule> rule,
      Optional<String> explanation) {
    this(ruleId, findings, rule, explanation, false);
  }

  public boolean hasErrors() {
    return findings.stream().anyMatch(Finding::error) || (rule.isEmpty() && !decisionRuleSet);
  }

  public long errorCount() {
    return findings.stream().filter(Finding::error).count();
  }
}
