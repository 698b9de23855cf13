package io.vigil.runtime.cli;

import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.job.JobConfig;
import io.vigil.runtime.job.VigilJob;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code vigil job [--config FILE] [--<option> VALUE]…}: the long-running job against Kafka, on an
 * embedded MiniCluster started in the background as the command begins (or on a cluster when
 * submitted with {@code flink run}).
 */
@Command(
    name = "job",
    mixinStandardHelpOptions = true,
    description = {
      "Run the long-running Vigil job against Kafka.",
      "Options are read from --config FILE (properties) and from --<option> VALUE flags;",
      "see docs/runtime.md or --list-options."
    })
public final class JobCommand implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "A properties file of options.")
  Path configFile;

  @Option(names = "--list-options", description = "Print every option with its default and exit.")
  boolean listOptions;

  @Unmatched List<String> flags;

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (listOptions) {
      for (io.vigil.runtime.config.Option<?> option : JobConfig.options()) {
        out.printf(
            "--%s (default %s)%n    %s%n", option.name(), option.defaultValue(), option.doc());
      }
      out.printf(
          "--%s<name> VALUE%n    A Kafka client setting for every Kafka client of the job"
              + " (e.g. --%ssecurity.protocol SASL_SSL).%n",
          JobConfig.KAFKA_PROPERTIES_PREFIX, JobConfig.KAFKA_PROPERTIES_PREFIX);
      out.flush();
      return 0;
    }
    JobConfig config;
    try {
      config = JobConfig.load(configFile, flags(flags == null ? List.of() : flags));
    } catch (IllegalArgumentException e) {
      err.println("vigil job: " + e.getMessage());
      err.flush();
      return 2;
    }
    Configuration flink = VigilJob.flinkConfiguration(config);
    // Under `flink run` (or in application mode) the context's environment runs the job; from the
    // command line an embedded cluster, started now so that its start-up overlaps reading the
    // control topic and building the job.
    EmbeddedCluster cluster =
        VigilMain.runByFlink()
            ? null
            : EmbeddedCluster.forJob(flink, config.get(JobConfig.PARALLELISM));
    try {
      List<RuleCommand> initial = VigilJob.readInitialRules(config);
      err.printf("vigil job: %d streams and rules read from the control topic%n", initial.size());
      err.flush();
      StreamExecutionEnvironment env =
          cluster == null
              ? StreamExecutionEnvironment.getExecutionEnvironment(flink)
              : cluster.environment();
      VigilJob.build(env, config, initial, UnaryOperator.identity());
      env.execute("vigil");
      return 0;
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  /** {@code --name value} pairs (also {@code --name=value}). */
  static Map<String, String> flags(List<String> args) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("expected --option value, got '" + arg + "'");
      }
      String name = arg.substring(2);
      int eq = name.indexOf('=');
      if (eq >= 0) {
        out.put(name.substring(0, eq), name.substring(eq + 1));
      } else if (i + 1 < args.size()) {
        out.put(name, args.get(++i));
      } else {
        throw new IllegalArgumentException("option --" + name + " needs a value");
      }
    }
    return out;
  }
}
