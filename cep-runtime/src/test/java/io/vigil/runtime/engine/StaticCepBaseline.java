package io.vigil.runtime.engine;

import io.vigil.compiler.event.Event;
import io.vigil.dsl.schema.StreamSchema;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.matcher.Alerts;
import io.vigil.runtime.routing.RoutingKeys;
import io.vigil.runtime.rules.MatchingRule;
import io.vigil.runtime.rules.RuleBuilder;
import io.vigil.runtime.rules.RuleRejectedException;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.PatternStream;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.functions.TimedOutPartialMatchHandler;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The reference the runtime is held to: one static {@code CEP.pattern} operator per rule, the way a
 * Flink developer would write it by hand. Used by the differential test and the benchmark; not part
 * of the product's data path.
 */
public final class StaticCepBaseline {

  private static final OutputTag<Alert> TIMEOUTS =
      new OutputTag<>("static-timeouts", TypeInformation.of(Alert.class));

  private StaticCepBaseline() {}

  /**
   * One CEP operator per rule on {@code events}, which must already carry timestamps and
   * watermarks. Rules are compiled here (for the pattern) and again inside each task.
   */
  public static DataStream<Alert> attach(
      DataStream<Event> events,
      RuleBuilder builder,
      List<RuleCommand.DeclareStream> streams,
      List<RuleCommand.UpsertRule> rules) {
    DataStream<Alert> all = null;
    for (RuleCommand.UpsertRule command : rules) {
      RuleHandle handle = new RuleHandle(builder, streams, command);
      MatchingRule rule = handle.get();
      String spec = rule.partitionSpec();
      PatternStream<Event> matches =
          CEP.pattern(
              events
                  .filter(
                      e ->
                          handle.get().streams().contains(e.stream())
                              && e.timestamp() >= command.activeFrom()
                              && handle.get().key(e).isPresent())
                  .name("filter-" + command.ruleId())
                  .keyBy(e -> RoutingKeys.of(spec, handle.get().key(e).orElseThrow())),
              rule.pattern());
      DataStream<Alert> alerts;
      if (rule.handlesTimeout()) {
        SingleOutputStreamOperator<Alert> withTimeouts =
            matches.process(new WithTimeouts(handle), TypeInformation.of(Alert.class));
        alerts = withTimeouts.union(withTimeouts.getSideOutput(TIMEOUTS));
      } else {
        alerts = matches.process(new MatchesOnly(handle), TypeInformation.of(Alert.class));
      }
      all = all == null ? alerts : all.union(alerts);
    }
    if (all == null) {
      throw new IllegalArgumentException("no rules");
    }
    return all;
  }

  /** A rule rebuilt lazily inside each task from its serializable definition. */
  static final class RuleHandle implements Serializable {
    private static final long serialVersionUID = 1L;
    private final RuleBuilder builder;
    private final List<RuleCommand.DeclareStream> streams;
    private final RuleCommand.UpsertRule command;
    private transient MatchingRule rule;

    RuleHandle(
        RuleBuilder builder,
        List<RuleCommand.DeclareStream> streams,
        RuleCommand.UpsertRule command) {
      this.builder = builder;
      this.streams = List.copyOf(streams);
      this.command = command;
    }

    MatchingRule get() {
      if (rule == null) {
        try {
          Map<String, StreamSchema> schemas = new LinkedHashMap<>();
          for (RuleCommand.DeclareStream declare : streams) {
            schemas.put(declare.stream(), builder.declareStream(declare, schemas));
          }
          rule = builder.buildRule(command, schemas);
        } catch (RuleRejectedException e) {
          throw new IllegalArgumentException(e.getMessage(), e);
        }
      }
      return rule;
    }
  }

  private static class MatchesOnly extends PatternProcessFunction<Event, Alert> {
    private static final long serialVersionUID = 1L;
    final RuleHandle handle;

    MatchesOnly(RuleHandle handle) {
      this.handle = handle;
    }

    @Override
    public void processMatch(Map<String, List<Event>> match, Context ctx, Collector<Alert> out) {
      if (handle.get().reportsMatches() && handle.get().having(match)) {
        out.collect(
            Alerts.of(handle.get(), Alert.Kind.MATCH, match, 0L, System.currentTimeMillis()));
      }
    }
  }

  private static final class WithTimeouts extends MatchesOnly
      implements TimedOutPartialMatchHandler<Event> {
    private static final long serialVersionUID = 1L;

    WithTimeouts(RuleHandle handle) {
      super(handle);
    }

    @Override
    public void processTimedOutMatch(Map<String, List<Event>> match, Context ctx) {
      ctx.output(
          TIMEOUTS,
          Alerts.of(
              handle.get(),
              Alert.Kind.TIMEOUT,
              match,
              ctx.timestamp(),
              System.currentTimeMillis()));
    }
  }
}
