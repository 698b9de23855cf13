package io.vigil.runtime.rules.compiled;

import io.vigil.compiler.rule.Compilation;
import io.vigil.compiler.rule.CompiledRule;
import io.vigil.compiler.rule.RuleCompiler;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.limits.Limits;
import io.vigil.dsl.schema.StreamSchema;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.rules.MatchingRule;
import io.vigil.runtime.rules.RuleBuilder;
import io.vigil.runtime.rules.RuleRejectedException;
import java.util.Map;
import java.util.Optional;

/**
 * The production {@link RuleBuilder}: compiles rule-language source with the rule compiler (and DRL
 * decision rule sets with Drools, {@link io.vigil.runtime.drools.DecisionMatchingRule}). A rule's
 * source must declare exactly that rule and no streams (streams come as their own commands, so that
 * every rule and the decoder agree on one schema per stream).
 */
public final class CompilingRuleBuilder implements RuleBuilder {

  private static final long serialVersionUID = 1L;

  private final Limits limits;
  private final io.vigil.compiler.drools.DecisionLimits decisionLimits;

  /** A builder within the rule language's default {@link Limits}. */
  public CompilingRuleBuilder() {
    this(Limits.defaults());
  }

  /**
   * A builder that refuses rules and streams beyond {@code limits}, as {@code vigil check} does.
   */
  public CompilingRuleBuilder(Limits limits) {
    this(limits, io.vigil.compiler.drools.DecisionLimits.defaults());
  }

  /** As {@link #CompilingRuleBuilder(Limits)}, DRL rule sets evaluating within {@code decision}. */
  public CompilingRuleBuilder(Limits limits, io.vigil.compiler.drools.DecisionLimits decision) {
    this.limits = java.util.Objects.requireNonNull(limits, "limits");
    this.decisionLimits = java.util.Objects.requireNonNull(decision, "decision");
  }

  /** What one DRL evaluation may cost and a DRL session per key may hold. */
  public io.vigil.compiler.drools.DecisionLimits decisionLimits() {
    return decisionLimits;
  }

  @Override
  public StreamSchema declareStream(
      RuleCommand.DeclareStream command, Map<String, StreamSchema> known)
      throws RuleRejectedException {
    Compilation compilation =
        RuleCompiler.compile(
            java.util.List.of(new SourceFile("stream:" + command.stream(), command.source())),
            known,
            limits);
    if (compilation.hasErrors()) {
      throw new RuleRejectedException(compilation.render());
    }
    if (!compilation.rules().isEmpty()) {
      throw new RuleRejectedException(
          "a stream declaration must not contain rules; publish each rule under its own id");
    }
    StreamSchema schema = compilation.streams().get(command.stream());
    if (schema == null) {
      throw new RuleRejectedException(
          "the source does not declare stream '" + command.stream() + "'");
    }
    return schema;
  }

  @Override
  public MatchingRule buildRule(RuleCommand.UpsertRule command, Map<String, StreamSchema> streams)
      throws RuleRejectedException {
    if (command.language() == RuleCommand.Language.DRL) {
      return io.vigil.runtime.drools.DecisionMatchingRule.build(command, streams, decisionLimits);
    }
    Compilation compilation =
        RuleCompiler.compile(
            java.util.List.of(new SourceFile(command.ruleId() + ".vgl", command.source())),
            streams,
            limits);
    if (compilation.hasErrors()) {
      throw new RuleRejectedException(compilation.render());
    }
    for (Map.Entry<String, StreamSchema> declared : compilation.streams().entrySet()) {
      if (!declared.getValue().equals(streams.get(declared.getKey()))) {
        throw new RuleRejectedException(
            "rule "
                + command.ruleId()
                + " declares stream '"
                + declared.getKey()
                + "'; declare streams with DECLARE_STREAM commands");
      }
    }
    Optional<CompiledRule> rule = compilation.rule(command.ruleId());
    if (rule.isEmpty() || compilation.rules().size() != 1) {
      throw new RuleRejectedException(
          "the source must declare exactly one rule, named '" + command.ruleId() + "'");
    }
    return new CompiledMatchingRule(rule.get(), command.version());
  }
}
