package io.vigil.runtime.cli;

import io.vigil.compiler.cli.CheckedSources;
import io.vigil.compiler.cli.RuleFiles;
import io.vigil.compiler.rule.Compilation;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.limits.Limits;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleSources;
import io.vigil.runtime.replay.ReplayFiles;
import io.vigil.runtime.replay.ReplayJob;
import io.vigil.runtime.routing.EventTimeLimits;
import io.vigil.runtime.rules.compiled.CompilingRuleBuilder;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil run}: a bounded replay of a JSON Lines file through the same router and matcher as
 * the long-running job, on an embedded MiniCluster. All rules are active from the first event.
 * Alerts go to stdout (or {@code --out}) as JSON Lines, ordered by end time, rule and id so that
 * two runs print the same lines; dead letters and late events are reported on stderr. The job's own
 * sink writes them ({@link ReplayJob#toFiles}); {@link #replay} collects them instead, for callers
 * that want {@link Alert} objects.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Replay events through rules on an embedded Flink cluster; print alerts as JSON Lines.")
public final class RunCommand implements Callable<Integer> {

  /**
   * The most tasks a replay runs: each reads the whole file, so more than the machine's cores only
   * costs (and the embedded cluster starts a slot for each).
   */
  static final int MAX_PARALLELISM = 256;

  @Option(
      names = "--rules",
      arity = "1..*",
      required = true,
      paramLabel = "FILE|DIR",
      description = "Rule files, or directories searched for *.vgl and *.drl; compiled together.")
  List<Path> rules;

  @Option(
      names = "--events",
      required = true,
      paramLabel = "FILE",
      description = "JSON Lines: {\"stream\":\"<name>\",\"event\":{…}} per line.")
  Path events;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Tasks that each read the whole events file and match their own keys, 1 to "
              + MAX_PARALLELISM
              + " (default: ${DEFAULT-VALUE}). The alerts, dead letters and late events are the"
              + " same at any N; each task decodes every line, so more than 1 pays on long files"
              + " with cores to spare beyond the JIT compiler's and the collector's.")
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
      names = "--limit",
      paramLabel = "NAME=VALUE",
      description =
          "Raise or lower a size limit of rules (repeatable), as for vigil check, e.g. --limit"
              + " quantifier=1000.")
  java.util.Map<String, String> limitOverrides = new java.util.LinkedHashMap<>();

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Write alerts here instead of stdout.")
  Path out;

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--timings",
      hidden = true,
      description = "Print how long each phase of the run took, on stderr.")
  boolean timings;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.isRegularFile(events)) {
      err.println("vigil run: no such events file: " + events);
      return 2;
    }
    if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
      err.println(
          "vigil run: --parallelism %d: expected 1 to %d (tasks that each read the whole file)"
              .formatted(parallelism, MAX_PARALLELISM));
      return 2;
    }
    RunPhases phases = new RunPhases();
    // Under `flink run` or a test harness the context's environment runs the job; from the command
    // line an embedded cluster, started now so that its start-up overlaps checking the rules.
    EmbeddedCluster cluster = VigilMain.runByFlink() ? null : EmbeddedCluster.forRun(parallelism);
    try {
      int status = run(err, cluster, phases);
      if (timings) {
        phases.print(err, cluster);
      }
      return status;
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  private int run(PrintWriter err, EmbeddedCluster cluster, RunPhases phases) throws Exception {
    List<SourceFile> sources;
    try {
      sources = RuleFiles.readWithDecisions(rules);
    } catch (UncheckedIOException e) {
      err.println("vigil run: " + e.getMessage());
      return 2;
    }
    Limits limits = Limits.defaults();
    try {
      for (java.util.Map.Entry<String, String> o : limitOverrides.entrySet()) {
        limits = limits.with(o.getKey(), o.getValue());
      }
    } catch (IllegalArgumentException e) {
      err.println("vigil run: " + e.getMessage());
      return 2;
    }
    CheckedSources checked = CheckedSources.compile(sources, limits);
    Compilation compilation = checked.compilation();
    compilation.diagnostics().forEach(d -> err.print(d.render()));
    err.flush();
    if (compilation.hasErrors()) {
      return 1;
    }
    if (checked.ruleCount() == 0) {
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
    phases.mark("rules read and checked");
    StreamExecutionEnvironment env =
        cluster == null
            ? StreamExecutionEnvironment.getExecutionEnvironment()
            : cluster.environment();
    env.setParallelism(parallelism);
    Path work = Files.createTempDirectory("vigil-run");
    try {
      Path alertsFile = out == null ? work.resolve("alerts.jsonl") : out;
      ReplayFiles files = ReplayFiles.of(alertsFile, work);
      ReplayFiles.Counts counts =
          ReplayJob.toFiles(
              env,
              commands,
              events,
              parallelism,
              EventTimeLimits.withoutClock(aheadLimit),
              new CompilingRuleBuilder(limits),
              files);
      phases.mark("job ran");
      if (out == null) {
        PrintWriter stdout = spec.commandLine().getOut();
        try (java.io.BufferedReader lines =
            Files.newBufferedReader(alertsFile, StandardCharsets.UTF_8)) {
          lines.transferTo(stdout);
        }
        stdout.flush();
      }
      try (java.io.BufferedReader problems = files.problemReader()) {
        problems.transferTo(err);
      }
      err.printf(
          "vigil run: %d alert%s, %d dead letter%s, %d late event%s%n",
          counts.alerts(),
          counts.alerts() == 1 ? "" : "s",
          counts.deadLetters(),
          counts.deadLetters() == 1 ? "" : "s",
          counts.late(),
          counts.late() == 1 ? "" : "s");
      err.flush();
      phases.mark("output written");
    } finally {
      try (var paths = Files.walk(work)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return 0;
  }
}
