package io.vigil.runtime.rules;

import io.vigil.dsl.schema.StreamSchema;
import io.vigil.runtime.control.RuleCommand;
import java.util.Map;
import org.apache.flink.cep.nfa.compiler.NFACompiler;

/**
 * The one boundary between the control topic and everything that builds a rule or a stream inside
 * the job: whatever goes wrong while building (an exception, a {@link StackOverflowError} on a
 * deeply nested text, an {@link OutOfMemoryError} on an absurd one, a duration that overflows)
 * becomes a {@link RuleRejectedException}, and so a {@code REJECTED} status, never a task failure
 * that would restart the job on the same command until its restart attempts run out.
 *
 * <p>It also takes the steps that would otherwise fail later, on the first event: a rule's Flink
 * pattern is compiled to an NFA, and a stream's lateness must be a number of milliseconds.
 */
final class GuardedRuleBuilder implements RuleBuilder {

  private static final long serialVersionUID = 1L;

  /** Rejection messages are status records: a huge rendered diagnostic is cut to this. */
  static final int MAX_MESSAGE = 4_000;

  private final RuleBuilder builder;

  private GuardedRuleBuilder(RuleBuilder builder) {
    this.builder = builder;
  }

  static RuleBuilder of(RuleBuilder builder) {
    return builder instanceof GuardedRuleBuilder ? builder : new GuardedRuleBuilder(builder);
  }

  @Override
  public StreamSchema declareStream(
      RuleCommand.DeclareStream command, Map<String, StreamSchema> known)
      throws RuleRejectedException {
    try {
      StreamSchema schema = builder.declareStream(command, known);
      schema.lateness().toMillis();
      return schema;
    } catch (RuleRejectedException e) {
      throw shortened(e.getMessage());
    } catch (Throwable e) {
      throw rejected("stream " + command.stream(), e);
    }
  }

  @Override
  public MatchingRule buildRule(RuleCommand.UpsertRule command, Map<String, StreamSchema> streams)
      throws RuleRejectedException {
    try {
      MatchingRule rule = builder.buildRule(command, streams);
      NFACompiler.compileFactory(rule.pattern(), rule.handlesTimeout());
      return rule;
    } catch (RuleRejectedException e) {
      throw shortened(e.getMessage());
    } catch (Throwable e) {
      throw rejected("rule " + command.ruleId(), e);
    }
  }

  private static RuleRejectedException rejected(String what, Throwable e) {
    if (e instanceof VirtualMachineError fatal
        && !(e instanceof StackOverflowError)
        && !(e instanceof OutOfMemoryError)) {
      // InternalError, UnknownError: the JVM itself is broken, not the rule.
      throw fatal;
    }
    String reason;
    if (e instanceof StackOverflowError) {
      reason = "it is nested too deeply to be built (stack overflow)";
    } else if (e instanceof OutOfMemoryError) {
      reason = "it is too large to be built (out of memory)";
    } else if (e instanceof NumberFormatException) {
      reason = "a number in it is out of range (" + e.getMessage() + ")";
    } else if (e instanceof ArithmeticException) {
      reason = "a number or duration in it overflows (" + e.getMessage() + ")";
    } else {
      reason = "building it failed: " + e;
    }
    return shortened(what + " rejected: " + reason);
  }

  private static RuleRejectedException shortened(String message) {
    String text = message == null ? "rejected" : message;
    if (text.length() > MAX_MESSAGE) {
      text =
          text.substring(0, MAX_MESSAGE) + "… (" + (text.length() - MAX_MESSAGE) + " more chars)";
    }
    return new RuleRejectedException(text);
  }
}
