package io.vigil.console.rules.check;

import io.vigil.compiler.drools.DecisionRuleSet;
import io.vigil.compiler.rule.CompiledRule;
import java.util.List;
import java.util.Optional;

/**
 * What the compiler says about one rule's source against the stored stream declarations.
 *
 * @param ruleId the declared rule name, when the source is a pattern rule that declares one (a DRL
 *     rule set is named by its id, as its file name names it for {@code vigil deploy})
 * @param rule the compiled pattern rule, when it has no error
 * @param explanation the text of {@code vigil explain} for the compiled rule or rule set
 * @param ruleSet the compiled DRL rule set (docs/drools.md), when the source is one without error
 */
public record CheckReport(
    Optional<String> ruleId,
    List<Finding> findings,
    Optional<CompiledRule> rule,
    Optional<String> explanation,
    Optional<DecisionRuleSet> ruleSet) {

  public CheckReport {
    findings = List.copyOf(findings);
  }

  /** The report on a pattern-language rule. */
  public CheckReport(
      Optional<String> ruleId,
      List<Finding> findings,
      Optional<CompiledRule> rule,
      Optional<String> explanation) {
    this(ruleId, findings, rule, explanation, Optional.empty());
  }

  /** The source is a DRL rule set that compiles. */
  public boolean decisionRuleSet() {
    return ruleSet.isPresent();
  }

  public boolean hasErrors() {
    return findings.stream().anyMatch(Finding::error) || (rule.isEmpty() && ruleSet.isEmpty());
  }

  public long errorCount() {
    return findings.stream().filter(Finding::error).count();
  }

  /** The streams the rule or rule set reads; empty when it does not compile. */
  public List<String> streams() {
    return rule.map(CompiledRule::streams)
        .or(() -> ruleSet.map(DecisionRuleSet::streams))
        .orElse(List.of());
  }
}
