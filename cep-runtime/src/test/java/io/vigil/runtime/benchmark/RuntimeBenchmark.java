package io.vigil.runtime.benchmark;

import io.vigil.compiler.event.Event;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleSources;
import io.vigil.runtime.engine.StaticCepBaseline;
import io.vigil.runtime.engine.VigilEngine;
import io.vigil.runtime.matching.CompilingRuleBuilder;
import io.vigil.runtime.matching.EventDecoding;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Throughput of the Vigil operator against one static Flink CEP operator per rule, in the same run,
 * on the same synthetic fraud workload (payments over many cards, log-uniform ≈ Zipf(1) skew). Not
 * a test: run it with {@code benchmarks/runtime/run.sh}.
 *
 * <p>Arguments: {@code rules events keys parallelism [vigil-only]} (defaults 100 200000 100000 1).
 */
public final class RuntimeBenchmark {

  private RuntimeBenchmark() {}

  static final String[] COUNTRIES = {"FR", "DE", "US", "ES", "NL", "IT", "GB", "PL"};
  static final String[] MERCHANTS = {"m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9"};

  /** {@code n} rules from three shapes (followedBy with a cross-stage test, next, a loop). */
  static String rules(int n) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < n; i++) {
      // Thresholds near the top of the amount range: like real fraud rules, most events start
      // nothing.
      int threshold = 1120 + (i * 37) % 79;
      String country = COUNTRIES[i % COUNTRIES.length];
      switch (i % 3) {
        case 0 ->
            out.append(
                """
                rule r%d
                  severity low
                  partition by cardId
                  pattern
                    a: payments(amount > %d and country == "%s")
                    then b: payments(amount > %d and country != a.country)
                  within 10m
                  alert "r%d {cardId}"

                """
                    .formatted(i, threshold, country, threshold, i));
        case 1 ->
            out.append(
                """
                rule r%d
                  severity low
                  from payments
                  partition by cardId
                  pattern
                    a: merchant == "%s" and amount > %d
                    next b: merchant == a.merchant and amount > a.amount
                  within 5m
                  alert "r%d {cardId}"

                """
                    .formatted(i, MERCHANTS[i % MERCHANTS.length], threshold, i));
        default ->
            out.append(
                """
                rule r%d
                  severity low
                  from payments
                  partition by cardId
                  pattern
                    small: amount < %d.5 and channel == "WEB" {2,} consecutive
                    then big: amount > %d
                  within 10m
                  skip past last event
                  alert "r%d {cardId}"

                """
                    .formatted(i, 1 + i % 5, threshold, i));
      }
    }
    return out.toString();
  }

  /** Event {@code i}: one payment per ms of event time, card drawn log-uniformly from keys. */
  static final class Payments extends RichMapFunction<Long, Event> {
    private static final long serialVersionUID = 1L;
    private final int keys;

    Payments(int keys) {
      this.keys = keys;
    }

    @Override
    public Event map(Long i) {
      long h = mix(i);
      double u = (h >>> 11) * 0x1.0p-53;
      int card = (int) Math.floor(Math.exp(u * Math.log(keys + 1.0))) - 1;
      long h2 = mix(h);
      long ts = 1_764_000_000_000L + i;
      BigDecimal amount = BigDecimal.valueOf(Math.floorMod(h2, 120_000), 2);
      return new Event(
          "payments",
          ts,
          new Object[] {
            "p" + i,
            "card-" + card,
            "acct-" + card,
            amount,
            "EUR",
            MERCHANTS[(int) Math.floorMod(h2 >>> 20, MERCHANTS.length)],
            COUNTRIES[(int) Math.floorMod(h2 >>> 30, COUNTRIES.length)],
            "APPROVED",
            ((h2 >>> 40) & 1) == 0 ? "WEB" : "POS",
            ts
          });
    }

    private static long mix(long z) {
      z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
      z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
      return z ^ (z >>> 33);
    }
  }

  /** Counts alerts into an accumulator (a sanity check: both sides must find the same number). */
  static final class CountAlerts extends RichMapFunction<Alert, Alert> {
    private static final long serialVersionUID = 1L;
    private transient LongCounter counter;

    @Override
    public void open(OpenContext openContext) {
      counter = new LongCounter();
      getRuntimeContext().addAccumulator("alerts", counter);
    }

    @Override
    public Alert map(Alert alert) {
      counter.add(1);
      return alert;
    }
  }

  record Run(double seconds, long alerts) {}

  public static void main(String[] args) throws Exception {
    int rules = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    long events = args.length > 1 ? Long.parseLong(args[1]) : 200_000;
    int keys = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
    int parallelism = args.length > 3 ? Integer.parseInt(args[3]) : 1;

    String streams = Files.readString(Path.of("..", "samples", "streams.vgl"));
    List<RuleCommand> commands =
        RuleSources.commands(
            List.of(
                new SourceFile("streams.vgl", streams), new SourceFile("bench.vgl", rules(rules))),
            1);
    List<RuleCommand.DeclareStream> declarations = new ArrayList<>();
    List<RuleCommand.UpsertRule> upserts = new ArrayList<>();
    for (RuleCommand c : commands) {
      if (c instanceof RuleCommand.DeclareStream d) {
        declarations.add(d);
      } else if (c instanceof RuleCommand.UpsertRule u) {
        upserts.add(u);
      }
    }

    boolean vigilOnly = args.length > 4 && args[4].equals("vigil-only");
    Run vigil = runVigil(commands, events, keys, parallelism);
    if (vigilOnly) {
      System.out.printf(
          Locale.ROOT,
          "rules=%d events=%d: vigil %.2f s, %.0f events/s, %d alerts%n",
          rules,
          events,
          vigil.seconds(),
          events / vigil.seconds(),
          vigil.alerts());
      return;
    }
    Run fixed = runStatic(declarations, upserts, events, keys, parallelism);
    double vigilRate = events / vigil.seconds();
    double staticRate = events / fixed.seconds();
    System.out.printf(
        Locale.ROOT,
        "rules=%d events=%d keys=%d parallelism=%d%n"
            + "vigil operator      : %8.2f s  %10.0f events/s  %d alerts%n"
            + "static CEP per rule : %8.2f s  %10.0f events/s  %d alerts%n"
            + "throughput ratio vigil/static = %.2f%n",
        rules,
        events,
        keys,
        parallelism,
        vigil.seconds(),
        vigilRate,
        vigil.alerts(),
        fixed.seconds(),
        staticRate,
        fixed.alerts(),
        vigilRate / staticRate);
  }

  static DataStream<Event> source(StreamExecutionEnvironment env, long events, int keys) {
    return env.fromSequence(0, events - 1)
        .setParallelism(1)
        .map(new Payments(keys), io.vigil.runtime.matching.EventSerializer.Info.INSTANCE)
        .setParallelism(1);
  }

  static Run runVigil(List<RuleCommand> commands, long events, int keys, int parallelism)
      throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(parallelism);
    env.getConfig().enableObjectReuse();
    DataStream<RuleCommand> control =
        env.fromData(List.of(commands.get(0)), TypeInformation.of(RuleCommand.class));
    VigilEngine.Outputs out =
        VigilEngine.builder(new CompilingRuleBuilder())
            .initialCommands(commands)
            .attach(source(env, events, keys), EventDecoding.decoded(), control);
    out.alerts().map(new CountAlerts()).sinkTo(new DiscardingSink<>());
    return run(env, "vigil");
  }

  static Run runStatic(
      List<RuleCommand.DeclareStream> streams,
      List<RuleCommand.UpsertRule> rules,
      long events,
      int keys,
      int parallelism)
      throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(parallelism);
    env.getConfig().enableObjectReuse();
    DataStream<Event> timed =
        source(env, events, keys)
            .assignTimestampsAndWatermarks(
                WatermarkStrategy.<Event>forBoundedOutOfOrderness(Duration.ofSeconds(5))
                    .withTimestampAssigner((e, t) -> e.timestamp()));
    StaticCepBaseline.attach(timed, new CompilingRuleBuilder(), streams, rules)
        .map(new CountAlerts())
        .sinkTo(new DiscardingSink<>());
    return run(env, "static");
  }

  static Run run(StreamExecutionEnvironment env, String name) throws Exception {
    JobExecutionResult result = env.execute(name);
    Long alerts = result.getAccumulatorResult("alerts");
    return new Run(result.getNetRuntime() / 1000.0, alerts == null ? 0 : alerts);
  }
}
