package io.vigil.compiler.benchmark;

import io.vigil.compiler.Samples;
import io.vigil.compiler.condition.CompiledCondition;
import io.vigil.compiler.condition.ExpressionCompiler;
import io.vigil.compiler.condition.MatchView;
import io.vigil.compiler.drools.DecisionCompiler;
import io.vigil.compiler.drools.DecisionRuleSet;
import io.vigil.compiler.drools.DecisionSession;
import io.vigil.compiler.event.Event;
import io.vigil.compiler.event.EventDecoder;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.schema.StreamSchema;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-event cost of a typical DRL decision ({@code payments( amount >= 500, currency == "USD",
 * channel == "POS" )} raising an alert) against the equivalent pattern rule's compiled stage
 * condition, on the same 8 events (mixed outcomes), in the same run; the same rule set in a
 * stateful per-key session (insert at event time, expiry, fire); and the cost of building the rule
 * set from its text, which is what a hot reload does on every parallel instance.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecisionBenchmark {

  static final int EVENTS = 8;

  static final String DRL =
      """
      // vigil: streams payments
      // vigil: partition by cardId
      %s
      package bench;

      rule "large USD at a POS"
      when
        $p : payments( amount >= 500, currency == "USD", channel == "POS" )
      then
        alerts.raise("Large USD payment").severity("high").message("Card " + $p.getCardId());
      end
      """;

  CompiledCondition pattern;
  DecisionRuleSet stateless;
  DecisionRuleSet stateful;
  DecisionSession session;
  Map<String, StreamSchema> streams;
  Event[] events;
  long time;

  @Setup
  public void setUp() {
    var rule =
        Samples.compileRule(
            """
            rule bench
              severity high
              from payments
              partition by cardId
              pattern
                a: amount >= 500 and currency == "USD" and channel == "POS"
              alert "Card {cardId}"
            """);
    pattern = ExpressionCompiler.condition(rule.checked().pattern().stages().get(0).condition());
    StreamSchema payments = rule.schemas().get(0);
    streams = Map.of("payments", payments);
    stateless = build("");
    stateful = build("// vigil: expire after 1m");
    session = stateful.openSession();
    EventDecoder decoder = new EventDecoder(payments);
    String[] amounts = {"750.00", "12.00", "500", "499.99", "1200.50", "800.00", "90.00", "650.00"};
    String[] currencies = {"USD", "USD", "USD", "USD", "EUR", "USD", "USD", "USD"};
    String[] channels = {"POS", "POS", "POS", "POS", "POS", "ONLINE", "POS", "POS"};
    events = new Event[EVENTS];
    for (int i = 0; i < EVENTS; i++) {
      events[i] =
          decoder
              .decode(
                  "{\"cardId\":\"c1\",\"amount\":%s,\"currency\":\"%s\",\"channel\":\"%s\",\"merchant\":\"m\",\"ts\":%d}"
                      .formatted(amounts[i], currencies[i], channels[i], 1000L * i))
              .decoded()
              .orElseThrow();
    }
  }

  DecisionRuleSet build(String directive) {
    return DecisionCompiler.compile(new SourceFile("bench.drl", DRL.formatted(directive)), streams)
        .ruleSet()
        .orElseThrow();
  }

  @TearDown
  public void tearDown() {
    session.close();
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void patternCondition(Blackhole bh) {
    for (Event e : events) {
      bh.consume(pattern.test(e, MatchView.NONE));
    }
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void drlStateless(Blackhole bh) {
    for (Event e : events) {
      bh.consume(stateless.decide(e));
    }
  }

  /** One key's session: a payment every second of event time, facts kept one minute (~60). */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void drlStatefulSession(Blackhole bh) {
    for (Event e : events) {
      time += 1000;
      bh.consume(session.insert(new Event(e.stream(), time, valuesOf(e))));
    }
  }

  private static Object[] valuesOf(Event e) {
    Object[] values = new Object[e.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = e.value(i);
    }
    return values;
  }

  /** What a hot reload costs each parallel instance: the rule set built from its text. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Object drlBuildFromText() {
    return build("");
  }
}
