package io.vigil.runtime.drools;

import io.vigil.compiler.drools.DecisionLimitException;
import io.vigil.runtime.control.RuleStatus;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluations of stateful rule sets that were cut (by the limits, or because a consequence
 * threw) in one parallel instance of {@link DecisionSessions}: each counts in {@code
 * drlEvaluationsCut}, of the operator (all stateful rule sets) and of its rule set (group {@code
 * rule=<id>}); the first of each rule version is logged and reported {@code FLAGGED}.
 */
final class EvaluationCuts {

  private static final Logger LOG = LoggerFactory.getLogger(EvaluationCuts.class);

  private final Counter cut;
  private final RuntimeContext context;
  private final Set<String> flagged = new HashSet<>();
  private final Map<String, Counter> perRuleSet = new HashMap<>();

  EvaluationCuts(Counter cut, RuntimeContext context) {
    this.cut = cut;
    this.context = context;
  }

  /**
   * Counts a cut evaluation of {@code rule}; the status to report when it is the version's first.
   */
  Optional<RuleStatus> record(DecisionMatchingRule rule, RuntimeException e) {
    cut.inc();
    perRuleSet
        .computeIfAbsent(
            rule.id(),
            id -> context.getMetricGroup().addGroup("rule", id).counter("drlEvaluationsCut"))
        .inc();
    if (!flagged.add(rule.id() + "@" + rule.version())) {
      return Optional.empty();
    }
    String reason =
        e instanceof DecisionLimitException ? e.getMessage() : "a consequence threw: " + e;
    LOG.warn("DRL rule set {} version {}: {}", rule.id(), rule.version(), reason);
    return Optional.of(
        new RuleStatus(
            rule.id(),
            rule.version(),
            context.getTaskInfo().getIndexOfThisSubtask(),
            context.getTaskInfo().getNumberOfParallelSubtasks(),
            RuleStatus.State.FLAGGED,
            "DRL evaluation skipped: " + reason,
            System.currentTimeMillis()));
  }
}
