package io.vigil.runtime.benchmark;

import io.vigil.compiler.event.Event;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.schema.StreamSchema;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleSources;
import io.vigil.runtime.engine.StaticCepBaseline;
import io.vigil.runtime.engine.VigilEngine;
import io.vigil.runtime.matcher.state.EventSerializer;
import io.vigil.runtime.rules.compiled.CompilingRuleBuilder;
import io.vigil.runtime.source.EventDecoding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.Histogram;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.accumulators.LongMinimum;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The runtime benchmark (not a test: run it with {@code benchmarks/runtime/run.sh}; see
 * benchmarks/runtime/README.md).
 *
 * <ul>
 *   <li>{@code throughput WORKLOAD RULES EVENTS KEYS [vigil-only]}: events/s of the Vigil operator
 *       and of one static Flink CEP operator per rule on the same events, in the same JVM, one
 *       after the other. Time runs from the first event leaving the source to the end of the alert
 *       sink (job start-up excluded); event time advances 1 ms per event.
 *   <li>{@code latency WORKLOAD RULES RATE SECONDS KEYS RELOADS}: the Vigil job at a fixed input
 *       rate with event time = ingestion wall time, checkpoints every 5 s: detection latency (alert
 *       {@code detectedAt} − time of the event that completed the match), hot-reload latency
 *       (publish of a changed probe rule → its first alert, RELOADS times) and checkpoint bytes per
 *       key.
 * </ul>
 */
public final class RuntimeBenchmark {

  private RuntimeBenchmark() {}

  static final String PROBE = "reload_probe";

  public static void main(String[] arguments) throws Exception {
    // Parallelism of the operators after the source (router and matcher; each static operator).
    int parallelism = 1;
    String stateBackend = "hashmap";
    long warmUp = 0;
    List<String> positional = new ArrayList<>();
    for (String a : arguments) {
      if (a.startsWith("--parallelism=")) {
        parallelism = Integer.parseInt(a.substring("--parallelism=".length()));
      } else if (a.startsWith("--state-backend=")) {
        stateBackend = a.substring("--state-backend=".length());
      } else if (a.startsWith("--warm-up=")) {
        warmUp = Long.parseLong(a.substring("--warm-up=".length()));
      } else {
        positional.add(a);
      }
    }
    String[] args = positional.toArray(String[]::new);
    String mode = args.length > 0 ? args[0] : "throughput";
    Workloads.Workload workload = Workloads.named(args.length > 1 ? args[1] : "fraud");
    int rules = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    switch (mode) {
      case "throughput" -> {
        long events = args.length > 3 ? Long.parseLong(args[3]) : 1_000_000;
        int keys = args.length > 4 ? Integer.parseInt(args[4]) : 100_000;
        boolean vigilOnly = args.length > 5 && args[5].equals("vigil-only");
        if (warmUp < 0 || warmUp >= events) {
          throw new IllegalArgumentException("--warm-up must be at least 0 and below EVENTS");
        }
        throughput(
            workload, rules, events, keys, vigilOnly, new Setup(parallelism, stateBackend, warmUp));
      }
      case "latency" -> {
        int rate = args.length > 3 ? Integer.parseInt(args[3]) : 20_000;
        int seconds = args.length > 4 ? Integer.parseInt(args[4]) : 60;
        int keys = args.length > 5 ? Integer.parseInt(args[5]) : 100_000;
        int reloads = args.length > 6 ? Integer.parseInt(args[6]) : 25;
        latency(workload, rules, rate, seconds, keys, reloads);
      }
      default -> throw new IllegalArgumentException("mode throughput or latency: " + mode);
    }
  }

  // ------------------------------------------------------------------ rules

  /** Stream declarations with every lateness set to {@code lateness}. */
  static String streams(String lateness) throws IOException {
    return Files.readString(Path.of("..", "samples", "streams.vgl"))
        .replaceAll("lateness \\S+", "lateness " + lateness);
  }

  static List<RuleCommand> commands(String streams, String rules) throws Exception {
    List<RuleCommand> commands =
        RuleSources.commands(
            List.of(new SourceFile("streams.vgl", streams), new SourceFile("bench.vgl", rules)), 1);
    // Every rule must compile: a rejected rule would silently make the run cheaper.
    CompilingRuleBuilder builder = new CompilingRuleBuilder();
    Map<String, StreamSchema> schemas = new HashMap<>();
    for (RuleCommand c : commands) {
      try {
        if (c instanceof RuleCommand.DeclareStream d) {
          schemas.put(d.stream(), builder.declareStream(d, schemas));
        } else if (c instanceof RuleCommand.UpsertRule u) {
          builder.buildRule(u, schemas);
        }
      } catch (Exception e) {
        throw new IllegalStateException("benchmark rule rejected: " + e.getMessage(), e);
      }
    }
    return commands;
  }

  // ------------------------------------------------------------------ throughput

  /**
   * One timed job: {@code seconds} from the first event to the end; {@code afterWarmUpSeconds} from
   * the source's emission of event {@code warmUp} to the end (NaN without a warm-up).
   */
  record Run(double seconds, double afterWarmUpSeconds, long alerts) {

    String figures(long events, long warmUp) {
      String all =
          String.format(Locale.ROOT, "%8.2f s  %10.0f events/s", seconds, events / seconds);
      return warmUp == 0
          ? all
          : all
              + String.format(
                  Locale.ROOT,
                  "  | after %d warm-up events: %8.2f s  %10.0f events/s",
                  warmUp,
                  afterWarmUpSeconds,
                  (events - warmUp) / afterWarmUpSeconds);
    }
  }

  /**
   * How the throughput jobs run: parallelism after the source, the state backend, and how many
   * events warm the job up before the second clock starts (JIT compilation, state tables and
   * windows filling up; 0 = none).
   */
  record Setup(int parallelism, String stateBackend, long warmUp) {
    StreamExecutionEnvironment environment() {
      Configuration conf = new Configuration();
      conf.setString("state.backend.type", stateBackend);
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
      env.setParallelism(parallelism);
      env.getConfig().enableObjectReuse();
      return env;
    }
  }

  static void throughput(
      Workloads.Workload workload, int rules, long events, int keys, boolean vigilOnly, Setup setup)
      throws Exception {
    List<RuleCommand> commands = commands(streams("5s"), workload.rules(rules));
    System.out.printf(
        Locale.ROOT,
        "workload=%s rules=%d events=%d keys=%d (%d with events) parallelism=%d state=%s"
            + " warm-up=%d%n",
        workload.name(),
        rules,
        events,
        keys,
        keysSeen(workload, events, keys),
        setup.parallelism(),
        setup.stateBackend(),
        setup.warmUp());
    Run vigil = runVigil(workload, commands, events, keys, setup);
    System.out.printf(
        Locale.ROOT,
        "vigil operator      : %s  %d alerts (%.3f per event)%n",
        vigil.figures(events, setup.warmUp()),
        vigil.alerts(),
        vigil.alerts() / (double) events);
    if (vigilOnly) {
      return;
    }
    Run fixed = runStatic(workload, commands, events, keys, setup);
    System.out.printf(
        Locale.ROOT,
        "static CEP per rule : %s  %d alerts%n" + "throughput ratio vigil/static = %.2f%s%s%n",
        fixed.figures(events, setup.warmUp()),
        fixed.alerts(),
        fixed.seconds() / vigil.seconds(),
        setup.warmUp() == 0
            ? ""
            : String.format(
                Locale.ROOT,
                " (after warm-up %.2f)",
                fixed.afterWarmUpSeconds() / vigil.afterWarmUpSeconds()),
        fixed.alerts() == vigil.alerts() ? "" : "  ALERT COUNTS DIFFER");
  }

  static int keysSeen(Workloads.Workload workload, long events, int keys) {
    BitSet seen = new BitSet(keys);
    for (long i = 0; i < events; i++) {
      seen.set(workload.key(i, keys));
    }
    return seen.cardinality();
  }

  /**
   * Event {@code i} at event time base + i ms; notes when the first event, and event {@code
   * warmUp}, left the source. Under backpressure the source runs ahead of the matcher by the events
   * in flight (network buffers, the matcher's queue up to the next watermark), so the second clock
   * starts early by those and the rate after warm-up errs low, never high.
   */
  static final class Generate extends RichMapFunction<Long, Event> {
    private static final long serialVersionUID = 1L;
    private final Workloads.Workload workload;
    private final int keys;
    private final long warmUp;
    private transient LongMinimum first;
    private transient LongMinimum warm;
    private transient boolean started;

    Generate(Workloads.Workload workload, int keys, long warmUp) {
      this.workload = workload;
      this.keys = keys;
      this.warmUp = warmUp;
    }

    @Override
    public void open(OpenContext openContext) {
      first = new LongMinimum();
      warm = new LongMinimum();
      getRuntimeContext().addAccumulator("first", first);
      getRuntimeContext().addAccumulator("warm", warm);
    }

    @Override
    public Event map(Long i) {
      if (!started) {
        started = true;
        first.add(System.nanoTime());
      }
      if (i == warmUp) {
        warm.add(System.nanoTime());
      }
      return workload.event(i, 1_764_000_000_000L + i, keys);
    }
  }

  /** Counts alerts; its close (after the end of input has gone through) ends the clock. */
  static final class CountAlerts extends RichMapFunction<Alert, Alert> {
    private static final long serialVersionUID = 1L;
    private transient LongCounter counter;
    private transient LongMaximum last;

    @Override
    public void open(OpenContext openContext) {
      counter = new LongCounter();
      last = new LongMaximum();
      getRuntimeContext().addAccumulator("alerts", counter);
      getRuntimeContext().addAccumulator("last", last);
    }

    @Override
    public Alert map(Alert alert) {
      counter.add(1);
      return alert;
    }

    @Override
    public void close() {
      last.add(System.nanoTime());
    }
  }

  static DataStream<Event> source(
      StreamExecutionEnvironment env,
      Workloads.Workload workload,
      long events,
      int keys,
      long warmUp) {
    return env.fromSequence(0, events - 1)
        .setParallelism(1)
        .map(new Generate(workload, keys, warmUp), EventSerializer.TYPE_INFO)
        .setParallelism(1);
  }

  static Run runVigil(
      Workloads.Workload workload, List<RuleCommand> commands, long events, int keys, Setup setup)
      throws Exception {
    StreamExecutionEnvironment env = setup.environment();
    DataStream<RuleCommand> control =
        env.fromData(List.of(commands.get(0)), TypeInformation.of(RuleCommand.class));
    VigilEngine.Outputs out =
        VigilEngine.builder(new CompilingRuleBuilder())
            .initialCommands(commands)
            .attach(
                source(env, workload, events, keys, setup.warmUp()),
                EventDecoding.decoded(),
                control);
    out.alerts().map(new CountAlerts()).sinkTo(new DiscardingSink<>());
    return run(env, "vigil");
  }

  static Run runStatic(
      Workloads.Workload workload, List<RuleCommand> commands, long events, int keys, Setup setup)
      throws Exception {
    List<RuleCommand.DeclareStream> declarations = new ArrayList<>();
    List<RuleCommand.UpsertRule> upserts = new ArrayList<>();
    for (RuleCommand c : commands) {
      if (c instanceof RuleCommand.DeclareStream d) {
        declarations.add(d);
      } else if (c instanceof RuleCommand.UpsertRule u) {
        upserts.add(u);
      }
    }
    StreamExecutionEnvironment env = setup.environment();
    DataStream<Event> timed =
        source(env, workload, events, keys, setup.warmUp())
            .assignTimestampsAndWatermarks(
                WatermarkStrategy.<Event>forBoundedOutOfOrderness(Duration.ofSeconds(5))
                    .withTimestampAssigner((e, t) -> e.timestamp()));
    StaticCepBaseline.attach(timed, new CompilingRuleBuilder(), declarations, upserts)
        .map(new CountAlerts())
        .sinkTo(new DiscardingSink<>());
    return run(env, "static");
  }

  static Run run(StreamExecutionEnvironment env, String name) throws Exception {
    JobExecutionResult result = env.execute(name);
    Long alerts = result.getAccumulatorResult("alerts");
    long first = result.<Long>getAccumulatorResult("first");
    long warm = result.<Long>getAccumulatorResult("warm");
    long last = result.<Long>getAccumulatorResult("last");
    return new Run((last - first) / 1e9, (last - warm) / 1e9, alerts == null ? 0 : alerts);
  }

  // ------------------------------------------------------------------ latency, reload, state

  /**
   * Version {@code version} of the probe rule. A changed constant changes the pattern, so every
   * reload is a new state generation released on every key (the expensive kind of reload). About 1
   * % of events match; the alert text carries the publication time.
   */
  static String probeFor(Workloads.Workload workload, long version, long publishedAt) {
    boolean fraud = workload.name().equals("fraud");
    return """
        rule %s
          severity low
          partition by %s
          pattern
            a: %s(%s and eventId != "v%d")
          alert "published %d"
        """
        .formatted(
            PROBE,
            fraud ? "cardId" : "deviceId",
            workload.stream(),
            fraud ? "amount < 12.00" : "temperature < 15.85",
            version,
            publishedAt);
  }

  /**
   * Event {@code i}, its event time the wall time of ingestion. Paced by the generator source's
   * rate limiter, which waits without blocking the task (a sleeping map would hold back checkpoint
   * barriers and, on the control stream, the watermark).
   */
  static final class Paced implements GeneratorFunction<Long, Event> {
    private static final long serialVersionUID = 1L;
    private final Workloads.Workload workload;
    private final int keys;

    Paced(Workloads.Workload workload, int keys) {
      this.workload = workload;
      this.keys = keys;
    }

    @Override
    public Event map(Long i) {
      return workload.event(i, System.currentTimeMillis(), keys);
    }
  }

  /**
   * Control record {@code i}, one per reload interval: during the warm-up a replay of the stream
   * declaration (changes nothing), then probe version {@code 2, 3, …} published now.
   */
  static final class Reloads implements GeneratorFunction<Long, RuleCommand> {
    private static final long serialVersionUID = 1L;
    private final Workloads.Workload workload;
    private final RuleCommand.DeclareStream replay;
    private final long warmup;

    Reloads(Workloads.Workload workload, RuleCommand.DeclareStream replay, long warmup) {
      this.workload = workload;
      this.replay = replay;
      this.warmup = warmup;
    }

    @Override
    public RuleCommand map(Long i) {
      if (i < warmup) {
        return replay;
      }
      long version = i - warmup + 2;
      long published = System.currentTimeMillis();
      return new RuleCommand.UpsertRule(
          PROBE, version, probeFor(workload, version, published), published, false);
    }
  }

  /** Detection latency of the workload's alerts, first-alert latency of each probe version. */
  static final class Latencies extends RichMapFunction<Alert, Alert> {
    private static final long serialVersionUID = 1L;
    private transient Histogram detection;
    private transient Histogram reload;
    private transient LongCounter alerts;
    private transient Set<Long> seen;

    @Override
    public void open(OpenContext openContext) {
      detection = new Histogram();
      reload = new Histogram();
      alerts = new LongCounter();
      seen = new HashSet<>();
      getRuntimeContext().addAccumulator("detection", detection);
      getRuntimeContext().addAccumulator("reload", reload);
      getRuntimeContext().addAccumulator("alerts", alerts);
    }

    @Override
    public Alert map(Alert alert) {
      if (alert.ruleId().equals(PROBE)) {
        if (alert.ruleVersion() > 1 && seen.add(alert.ruleVersion())) {
          long published = Long.parseLong(alert.message().substring("published ".length()));
          reload.add((int) (alert.detectedAt() - published));
        }
      } else if (alert.kind() == Alert.Kind.MATCH) {
        alerts.add(1);
        int ms = (int) (alert.detectedAt() - alert.endTime());
        detection.add(ms);
        if (ms > 2000) {
          System.err.println(
              "SLOW "
                  + ms
                  + " "
                  + alert.ruleId()
                  + " "
                  + alert.startTime()
                  + " "
                  + alert.endTime()
                  + " "
                  + alert.detectedAt());
        }
      }
      return alert;
    }
  }

  static void latency(
      Workloads.Workload workload, int rules, int rate, int seconds, int keys, int reloads)
      throws Exception {
    String streams = streams("0s");
    List<RuleCommand> commands =
        commands(streams, workload.rules(rules) + probeFor(workload, 1, 0));
    Path checkpoints = Files.createTempDirectory("vigil-bench-chk");
    Configuration conf = new Configuration();
    conf.setString("state.backend.type", "hashmap");
    conf.setString("execution.checkpointing.interval", "5s");
    conf.setString("execution.checkpointing.storage", "filesystem");
    conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
    conf.setString("execution.checkpointing.num-retained", "100");
    conf.setString(
        "execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(1);
    env.getConfig().enableObjectReuse();
    long events = (long) rate * seconds;
    DataStream<Event> source =
        env.fromSource(
                new DataGeneratorSource<>(
                    new Paced(workload, keys),
                    events,
                    RateLimiterStrategy.perSecond(rate),
                    EventSerializer.TYPE_INFO),
                WatermarkStrategy.noWatermarks(),
                "events")
            .setParallelism(1);
    long intervalMs = Math.max(500, (seconds * 1000L - 15_000) / reloads);
    long warmup = Math.max(1, 10_000 / intervalMs);
    RuleCommand.DeclareStream replay =
        (RuleCommand.DeclareStream)
            commands.stream()
                .filter(
                    c ->
                        c instanceof RuleCommand.DeclareStream d
                            && d.stream().equals(workload.stream()))
                .findFirst()
                .orElseThrow();
    DataStream<RuleCommand> control =
        env.fromSource(
                new DataGeneratorSource<>(
                    new Reloads(workload, replay, warmup),
                    warmup + reloads,
                    RateLimiterStrategy.perSecond(1000.0 / intervalMs),
                    TypeInformation.of(RuleCommand.class)),
                WatermarkStrategy.noWatermarks(),
                "control")
            .setParallelism(1);
    VigilEngine.Outputs out =
        VigilEngine.builder(new CompilingRuleBuilder())
            .initialCommands(commands)
            .attach(source, EventDecoding.decoded(), control);
    out.alerts().map(new Latencies()).sinkTo(new DiscardingSink<>());
    JobExecutionResult result = env.execute("vigil-latency");

    TreeMap<Integer, Integer> detection = result.getAccumulatorResult("detection");
    TreeMap<Integer, Integer> reload = result.getAccumulatorResult("reload");
    long biggest = biggestCheckpoint(checkpoints);
    int keysWithEvents = keysSeen(workload, events, keys);
    System.out.printf(
        Locale.ROOT,
        "workload=%s rules=%d rate=%d/s seconds=%d keys=%d (%d with events), lateness 0s,"
            + " watermark interval 200 ms%n"
            + "detection latency ms: %s over %d alerts%n"
            + "hot reload (publish -> first alert of the new version) ms: %s over %d of %d reloads%n"
            + "largest checkpoint: %d bytes = %.0f bytes per key with events%n",
        workload.name(),
        rules,
        rate,
        seconds,
        keys,
        keysWithEvents,
        percentiles(detection),
        count(detection),
        percentiles(reload),
        count(reload),
        reloads,
        biggest,
        biggest / (double) keysWithEvents);
  }

  static long count(TreeMap<Integer, Integer> histogram) {
    return histogram.values().stream().mapToLong(Integer::longValue).sum();
  }

  static String percentiles(TreeMap<Integer, Integer> histogram) {
    long n = count(histogram);
    if (n == 0) {
      return "none";
    }
    StringBuilder out = new StringBuilder();
    for (double p : new double[] {0.5, 0.9, 0.99, 1.0}) {
      long rank = (long) Math.ceil(p * n);
      long seen = 0;
      for (Map.Entry<Integer, Integer> e : histogram.entrySet()) {
        seen += e.getValue();
        if (seen >= rank) {
          out.append(p == 1.0 ? "max" : "p" + Math.round(p * 100))
              .append('=')
              .append(e.getKey())
              .append(' ');
          break;
        }
      }
    }
    return out.toString().trim();
  }

  /** Size on disk of the largest completed checkpoint (a directory holding {@code _metadata}). */
  static long biggestCheckpoint(Path root) throws IOException {
    long biggest = 0;
    try (Stream<Path> all = Files.walk(root)) {
      for (Path metadata : all.filter(p -> p.endsWith("_metadata")).toList()) {
        biggest = Math.max(biggest, size(metadata.getParent()));
      }
    }
    return biggest;
  }

  static long size(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
