package io.vigil.runtime.routing;

import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.rules.RuleBook;
import io.vigil.runtime.rules.RuleBuilder;
import io.vigil.runtime.rules.RuleLimits;
import io.vigil.runtime.source.DeadLetter;
import io.vigil.runtime.source.EventDecoding;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes events and sends each one only where it is needed: once per partition spec among the
 * rules that read its stream (index by stream), keyed by spec and key values. Events of streams no
 * rule reads go nowhere; undecodable ones, and those dated too far ahead ({@link EventTimeGuard}),
 * go to {@link #DEAD_LETTERS}.
 */
public final class EventRouter<IN> extends BroadcastProcessFunction<IN, RuleCommand, Routed> {

  private static final long serialVersionUID = 1L;

  public static final MapStateDescriptor<String, String> RULES =
      new MapStateDescriptor<>("vigil-router-rules", Types.STRING, Types.STRING);

  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("vigil-dead-letter", TypeInformation.of(DeadLetter.class));

  private final RuleBuilder builder;
  private final List<RuleCommand> initial;
  private final EventDecoding<IN> decoding;
  private final RuleLimits limits;
  private final EventTimeLimits timeLimits;
  private final java.time.Duration idleness;

  private transient RuleBook book;
  private transient EventRouting<IN> routing;
  private transient boolean loaded;

  public EventRouter(RuleBuilder builder, List<RuleCommand> initial, EventDecoding<IN> decoding) {
    this(
        builder,
        initial,
        decoding,
        RuleLimits.defaults(),
        EventTimeLimits.none(),
        java.time.Duration.ZERO);
  }

  /**
   * @param idleness as the watermarks': a stream idle for that long holds no watermark back
   */
  public EventRouter(
      RuleBuilder builder,
      List<RuleCommand> initial,
      EventDecoding<IN> decoding,
      RuleLimits limits,
      EventTimeLimits timeLimits,
      java.time.Duration idleness) {
    this.builder = builder;
    this.initial = List.copyOf(initial);
    this.decoding = decoding;
    this.limits = limits;
    this.timeLimits = timeLimits;
    this.idleness = idleness;
  }

  @Override
  public void open(OpenContext openContext) {
    book = new RuleBook(builder, limits);
    routing =
        new EventRouting<>(
            book,
            decoding,
            new EventTimeGuard(timeLimits, idleness, System::currentTimeMillis),
            getRuntimeContext().getMetricGroup().counter("eventsReadByNoRule"),
            getRuntimeContext().getMetricGroup().counter("deadLetters"));
    RuleBook counted = book;
    getRuntimeContext()
        .getMetricGroup()
        .gauge("unknownRuleIdsNotKept", () -> counted.unknownIdsNotKept());
  }

  private void ensureLoaded(ReadOnlyBroadcastState<String, String> state) throws Exception {
    if (loaded) {
      return;
    }
    book.load(state.immutableEntries(), initial);
    loaded = true;
  }

  @Override
  public void processElement(IN input, ReadOnlyContext ctx, Collector<Routed> out)
      throws Exception {
    if (!loaded) {
      ensureLoaded(ctx.getBroadcastState(RULES));
    }
    routing.route(input, out, dead -> ctx.output(DEAD_LETTERS, dead));
  }

  @Override
  public void processBroadcastElement(RuleCommand command, Context ctx, Collector<Routed> out)
      throws Exception {
    BroadcastState<String, String> state = ctx.getBroadcastState(RULES);
    ensureLoaded(state);
    for (RuleBook.Outcome outcome : book.apply(command)) {
      if (outcome.state() != io.vigil.runtime.control.RuleStatus.State.REJECTED) {
        Optional<String> stored = book.serialize(outcome.ruleId());
        if (stored.isPresent()) {
          state.put(outcome.ruleId(), stored.get());
        }
      }
    }
  }
}
