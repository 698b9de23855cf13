package io.vigil.runtime.rules;

import io.vigil.dsl.schema.StreamSchema;
import io.vigil.runtime.control.RuleCommand;
import java.io.Serializable;
import java.util.Map;

/**
 * Turns control commands into runnable rules inside each parallel instance. It is shipped with the
 * job graph, so it must be serializable; what it builds is not.
 */
public interface RuleBuilder extends Serializable {

  /** Checks a stream declaration; {@code known} holds the streams declared so far. */
  StreamSchema declareStream(RuleCommand.DeclareStream command, Map<String, StreamSchema> known)
      throws RuleRejectedException;

  /** Compiles a rule version against the declared streams. */
  MatchingRule buildRule(RuleCommand.UpsertRule command, Map<String, StreamSchema> streams)
      throws RuleRejectedException;
}
