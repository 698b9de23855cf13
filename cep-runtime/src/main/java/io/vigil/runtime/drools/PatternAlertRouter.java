package io.vigil.runtime.drools;

import io.vigil.compiler.drools.DecisionHeader;
import io.vigil.compiler.drools.PatternAlertFacts;
import io.vigil.compiler.event.Event;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.routing.Routed;
import io.vigil.runtime.routing.RoutingKeys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Sends the matcher's alerts to the stateful DRL rule sets that read them ({@code // vigil: alerts
 * of rule_a}): each alert of {@code rule_a} becomes a {@link PatternAlertFacts} event, keyed by the
 * rule set's partition fields, taken from the alert's key (an alert whose key lacks one of them
 * reaches no session). Only the DRL text of such rule sets is kept, in broadcast state.
 */
public final class PatternAlertRouter extends BroadcastProcessFunction<Alert, RuleCommand, Routed> {

  private static final long serialVersionUID = 1L;

  public static final MapStateDescriptor<String, String> READERS =
      new MapStateDescriptor<>("vigil-decision-alert-readers", Types.STRING, Types.STRING);

  private final List<RuleCommand> initial;

  private transient Map<String, List<DecisionHeader>> readersOf;
  private transient Map<String, String> sources;

  public PatternAlertRouter(List<RuleCommand> initial) {
    this.initial = List.copyOf(initial);
  }

  private void ensureLoaded(ReadOnlyBroadcastState<String, String> state) throws Exception {
    if (sources != null) {
      return;
    }
    sources = new HashMap<>();
    for (Map.Entry<String, String> entry : state.immutableEntries()) {
      sources.put(entry.getKey(), entry.getValue());
    }
    initial.forEach(this::apply);
    index();
  }

  /** Whether {@code command} changed what is read; keeps the DRL text of alert readers. */
  private boolean apply(RuleCommand command) {
    if (command instanceof RuleCommand.UpsertRule upsert) {
      DecisionHeader header =
          upsert.language() == RuleCommand.Language.DRL
              ? DecisionHeader.parse(upsert.source())
              : null;
      if (header != null && header.stateful() && !header.alertsOf().isEmpty()) {
        sources.put(upsert.ruleId(), upsert.source());
        return true;
      }
      return sources.remove(upsert.ruleId()) != null;
    }
    if (command instanceof RuleCommand.DisableRule || command instanceof RuleCommand.DeleteRule) {
      return sources.remove(command.topicKey()) != null;
    }
    return false;
  }

  private void index() {
    readersOf = new HashMap<>();
    for (String source : sources.values()) {
      DecisionHeader header = DecisionHeader.parse(source);
      for (String rule : header.alertsOf()) {
        readersOf.computeIfAbsent(rule, r -> new ArrayList<>()).add(header);
      }
    }
  }

  @Override
  public void processElement(Alert alert, ReadOnlyContext ctx, Collector<Routed> out)
      throws Exception {
    ensureLoaded(ctx.getBroadcastState(READERS));
    List<DecisionHeader> readers = readersOf.get(alert.ruleId());
    if (readers == null) {
      return;
    }
    java.util.Set<String> sent = new java.util.HashSet<>();
    for (DecisionHeader reader : readers) {
      String spec = DecisionMatchingRule.SESSION_SPEC_PREFIX + String.join(",", reader.keyFields());
      if (!sent.add(spec)) {
        // Rule sets of one key share the sessions' Flink key: one copy reaches all of them.
        continue;
      }
      List<Object> values = new ArrayList<>();
      for (String field : reader.keyFields()) {
        Object value = alert.key().get(field);
        if (value == null) {
          break;
        }
        values.add(value);
      }
      if (values.size() < reader.keyFields().size()) {
        continue;
      }
      Event fact = fact(alert, reader.keyFields());
      out.collect(new Routed(RoutingKeys.of(spec, values), fact, false, 0));
    }
  }

  /** {@code alert} as a fact of a rule set partitioned by {@code keyFields}. */
  static Event fact(Alert alert, List<String> keyFields) {
    return PatternAlertFacts.event(
        alert.alertId(),
        alert.ruleId(),
        alert.ruleVersion(),
        alert.kind().name(),
        alert.severity(),
        alert.title(),
        alert.message(),
        alert.owner().orElse(""),
        alert.tags(),
        alert.startTime(),
        alert.endTime(),
        alert.key(),
        keyFields);
  }

  @Override
  public void processBroadcastElement(RuleCommand command, Context ctx, Collector<Routed> out)
      throws Exception {
    BroadcastState<String, String> state = ctx.getBroadcastState(READERS);
    ensureLoaded(state);
    if (apply(command)) {
      state.clear();
      for (Map.Entry<String, String> source : sources.entrySet()) {
        state.put(source.getKey(), source.getValue());
      }
      index();
    }
  }
}
