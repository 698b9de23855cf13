package io.vigil.compiler.benchmark;

import io.vigil.compiler.Samples;
import io.vigil.compiler.condition.CompiledCondition;
import io.vigil.compiler.condition.ExpressionCompiler;
import io.vigil.compiler.condition.MatchView;
import io.vigil.compiler.event.Event;
import io.vigil.compiler.event.EventDecoder;
import io.vigil.dsl.check.TypedExpr;
import io.vigil.dsl.schema.StreamSchema;
import java.math.BigDecimal;
import java.util.HashMap;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A typical 3-comparison stage condition ({@code amount >= 500 and currency == "USD" and channel ==
 * "POS"} on a decimal, two strings) evaluated by the compiled closure tree, against a naive
 * baseline that interprets the typed expression over a map-shaped event (name lookups, constants
 * converted per evaluation). Both run on the same 8 events (mixed outcomes) per invocation. See
 * benchmarks/compiler/README.md for the command.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ConditionBenchmark {

  static final int EVENTS = 8;

  CompiledCondition compiled;
  TypedExpr expr;
  Event[] events;
  Map<String, Object>[] maps;

  @Setup
  @SuppressWarnings("unchecked")
  public void setUp() {
    var rule =
        Samples.compileRule(
            """
            rule bench
              severity low
              from payments
              partition by cardId
              pattern
                a: amount >= 500 and currency == "USD" and channel == "POS"
              alert "x"
            """);
    expr = rule.checked().pattern().stages().get(0).condition();
    compiled = ExpressionCompiler.condition(expr);
    StreamSchema payments = rule.schemas().get(0);
    EventDecoder decoder = new EventDecoder(payments);
    String[] amounts = {"750.00", "12.00", "500", "499.99", "1200.50", "800.00", "90.00", "650.00"};
    String[] currencies = {"USD", "USD", "USD", "USD", "EUR", "USD", "USD", "USD"};
    String[] channels = {"POS", "POS", "POS", "POS", "POS", "ONLINE", "POS", "POS"};
    events = new Event[EVENTS];
    maps = new Map[EVENTS];
    for (int i = 0; i < EVENTS; i++) {
      events[i] =
          decoder
              .decode(
                  "{\"cardId\":\"c%d\",\"amount\":%s,\"currency\":\"%s\",\"channel\":\"%s\",\"merchant\":\"m\",\"ts\":%d}"
                      .formatted(i, amounts[i], currencies[i], channels[i], 1000L * i))
              .decoded()
              .orElseThrow();
      Map<String, Object> m = new HashMap<>();
      for (StreamSchema.Field f : payments.fields()) {
        m.put(f.path(), events[i].value(f.index()));
      }
      maps[i] = m;
    }
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void compiledClosureTree(Blackhole bh) {
    for (Event e : events) {
      bh.consume(compiled.test(e, MatchView.NONE));
    }
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void mapInterpreterBaseline(Blackhole bh) {
    for (Map<String, Object> m : maps) {
      bh.consume(Boolean.TRUE.equals(interpret(expr, m)));
    }
  }

  /** The naive way: walk the typed tree per event, look fields up by name, convert per call. */
  static Object interpret(TypedExpr e, Map<String, Object> event) {
    if (e instanceof TypedExpr.Logical l) {
      Object left = interpret(l.left(), event);
      if (l.op() == TypedExpr.LogicalOp.AND) {
        return Boolean.TRUE.equals(left) && Boolean.TRUE.equals(interpret(l.right(), event));
      }
      return Boolean.TRUE.equals(left) || Boolean.TRUE.equals(interpret(l.right(), event));
    } else if (e instanceof TypedExpr.Comparison c) {
      Object l = interpret(c.left(), event);
      Object r = interpret(c.right(), event);
      if (l == null || r == null) {
        return null;
      }
      int cmp;
      if (l instanceof String ls) {
        cmp = ls.compareTo((String) r);
      } else {
        cmp = new BigDecimal(l.toString()).compareTo(new BigDecimal(r.toString()));
      }
      return switch (c.op()) {
        case EQ -> cmp == 0;
        case NE -> cmp != 0;
        case LT -> cmp < 0;
        case LE -> cmp <= 0;
        case GT -> cmp > 0;
        case GE -> cmp >= 0;
      };
    } else if (e instanceof TypedExpr.EventField f) {
      return event.get(f.path());
    } else if (e instanceof TypedExpr.Constant k) {
      return k.value();
    }
    throw new IllegalArgumentException(e.toString());
  }
}
