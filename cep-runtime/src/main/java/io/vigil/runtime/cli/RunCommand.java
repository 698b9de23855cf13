package io.vigil.runtime.cli;

import io.vigil.compiler.cli.RuleFiles;
import io.vigil.compiler.rule.Compilation;
import io.vigil.compiler.rule.RuleCompiler;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.alert.AlertJson;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleSources;
import io.vigil.runtime.engine.VigilEngine;
import io.vigil.runtime.routing.EventTimeLimits;
import io.vigil.runtime.rules.compiled.CompilingRuleBuilder;
import io.vigil.runtime.source.EventLines;
import io.vigil.runtime.source.RawEvent;
import io.vigil.runtime.source.RawEventDecoding;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil run}: a bounded replay of a JSON Lines file through the same router and matcher as
 * the long-running job, on an embedded MiniCluster. All rules are active from the first event.
 * Alerts go to stdout (or {@code --out}) as JSON Lines, ordered by end time, rule and id so that
 * two runs print the same lines; dead letters and late events are reported on stderr.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Replay events through rules on an embedded Flink cluster; print alerts as JSON Lines.")
public final class RunCommand implements Callable<Integer> {

  @Option(
      names = "--rules",
      arity = "1..*",
      required = true,
      paramLabel = "FILE|DIR",
      description = "Rule files, or directories searched for *.vgl; compiled together.")
  List<Path> rules;

  @Option(
      names = "--events",
      required = true,
      paramLabel = "FILE",
      description = "JSON Lines: {\"stream\":\"<name>\",\"event\":{…}} per line.")
  Path events;

  @Option(
      names = "--parallelism",
      defaultValue = "1",
      description = "Parallelism of the matcher (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(
      names = "--max-ahead-of-watermark",
      defaultValue = "1d",
      paramLabel = "DURATION",
      description =
          "An event dated more than this ahead of its stream's watermark is a dead letter"
              + " (e.g. 1h, 7d; 0s: off; default: ${DEFAULT-VALUE}).")
  String maxAheadOfWatermark;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Write alerts here instead of stdout.")
  Path out;

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.isRegularFile(events)) {
      err.println("vigil run: no such events file: " + events);
      return 2;
    }
    List<SourceFile> sources;
    try {
      sources = RuleFiles.read(rules);
    } catch (UncheckedIOException e) {
      err.println("vigil run: " + e.getMessage());
      return 2;
    }
    Compilation compilation = RuleCompiler.compile(sources);
    compilation.diagnostics().forEach(d -> err.print(d.render()));
    err.flush();
    if (compilation.hasErrors()) {
      return 1;
    }
    if (compilation.rules().isEmpty()) {
      err.println("vigil run: no rules in " + rules);
      return 2;
    }
    List<RuleCommand> commands = RuleSources.commands(sources, 1);
    java.time.Duration aheadLimit;
    try {
      aheadLimit = io.vigil.runtime.job.JobConfig.parseDuration(maxAheadOfWatermark);
    } catch (RuntimeException e) {
      err.println("vigil run: --max-ahead-of-watermark " + maxAheadOfWatermark + ": " + e);
      return 2;
    }
    // A local MiniCluster from the command line.
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(Math.max(1, parallelism));
    Result result =
        replay(env, commands, events, parallelism, EventTimeLimits.withoutClock(aheadLimit));
    try (PrintWriter alerts =
        out == null
            ? spec.commandLine().getOut()
            : new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
      for (Alert alert : result.alerts()) {
        alerts.println(AlertJson.write(alert));
      }
      alerts.flush();
    }
    for (String line : result.problems()) {
      err.println(line);
    }
    err.printf(
        "vigil run: %d alert%s, %d dead letter%s, %d late event%s%n",
        result.alerts().size(),
        result.alerts().size() == 1 ? "" : "s",
        result.deadLetters(),
        result.deadLetters() == 1 ? "" : "s",
        result.late(),
        result.late() == 1 ? "" : "s");
    err.flush();
    return 0;
  }

  /** What a replay produced. */
  public record Result(List<Alert> alerts, List<String> problems, int deadLetters, int late) {}

  /** Replays {@code eventsFile} through {@code commands} on a local MiniCluster. */
  public static Result replay(List<RuleCommand> commands, Path eventsFile, int parallelism)
      throws Exception {
    // A local MiniCluster from the command line; the surrounding cluster in tests.
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(Math.max(1, parallelism));
    return replay(env, commands, eventsFile, parallelism);
  }

  /** As above on a given environment (tests pass the shared MiniCluster's). */
  public static Result replay(
      StreamExecutionEnvironment env, List<RuleCommand> commands, Path eventsFile, int parallelism)
      throws Exception {
    return replay(
        env,
        commands,
        eventsFile,
        parallelism,
        EventTimeLimits.withoutClock(java.time.Duration.ofDays(1)));
  }

  /**
   * As above, with the guard against events dated far ahead (a backtest has no wall clock to
   * compare with: only the stream's watermark counts).
   */
  public static Result replay(
      StreamExecutionEnvironment env,
      List<RuleCommand> commands,
      Path eventsFile,
      int parallelism,
      EventTimeLimits timeLimits)
      throws Exception {
    // One reader keeps the file's line order: among events with equal timestamps, the order of
    // the file decides, as it would for a single Kafka partition.
    String origin = eventsFile.getFileName().toString();
    // No function here mutates or keeps its input: chained operators may pass objects on.
    env.getConfig().enableObjectReuse();
    DataStream<RawEvent> raw =
        env.fromSource(
                FileSource.forRecordStreamFormat(
                        new TextLineInputFormat(),
                        new org.apache.flink.core.fs.Path(eventsFile.toUri()))
                    .build(),
                WatermarkStrategy.noWatermarks(),
                "events-file")
            .setParallelism(1)
            .filter(line -> !line.isBlank())
            .setParallelism(1)
            .map(line -> EventLines.parse(line, origin), TypeInformation.of(RawEvent.class))
            .setParallelism(1);
    DataStream<RuleCommand> control =
        env.fromData(List.of(commands.get(0)), TypeInformation.of(RuleCommand.class));
    VigilEngine.Outputs outputs =
        VigilEngine.builder(new CompilingRuleBuilder())
            .initialCommands(commands)
            .eventTimeLimits(timeLimits)
            .routerParallelism(1)
            .matcherParallelism(parallelism)
            .attach(raw, new RawEventDecoding(), control);
    DataStream<String> tagged =
        outputs
            .alerts()
            .map(a -> "A" + AlertJson.write(a))
            .union(
                outputs
                    .deadLetters()
                    .map(
                        d ->
                            "Ddead letter ("
                                + d.origin()
                                + "): "
                                + d.reason()
                                + ": "
                                + d.payload()))
            .union(outputs.late().map(e -> "Llate event: " + e));
    List<Alert> alerts = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    int dead = 0;
    int late = 0;
    try (CloseableIterator<String> it = tagged.executeAndCollect("vigil run")) {
      while (it.hasNext()) {
        String line = it.next();
        switch (line.charAt(0)) {
          case 'A' -> alerts.add(AlertJson.read(line.substring(1)));
          case 'D' -> {
            dead++;
            problems.add(line.substring(1));
          }
          default -> {
            late++;
            problems.add(line.substring(1));
          }
        }
      }
    }
    alerts.sort(
        Comparator.comparingLong(Alert::endTime)
            .thenComparing(Alert::ruleId)
            .thenComparing(Alert::alertId));
    return new Result(alerts, problems, dead, late);
  }
}
