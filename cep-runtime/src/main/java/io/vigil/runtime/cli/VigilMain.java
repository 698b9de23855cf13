package io.vigil.runtime.cli;

import io.vigil.compiler.cli.VigilCli;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;

/**
 * The main class of {@code vigil.jar}: the rule compiler's {@code vigil} command ({@code check},
 * {@code explain}) plus this module's {@code run} and {@code job}, and the commands that deploy to
 * a running job ({@code deploy}, {@code status}, {@code rollback}, {@code disable}, {@code
 * delete}).
 */
public final class VigilMain {

  private VigilMain() {}

  public static CommandLine commandLine() {
    return VigilCli.commandLine()
        .addSubcommand("run", new RunCommand())
        .addSubcommand("job", new JobCommand())
        .addSubcommand("deploy", new DeployCommand())
        .addSubcommand("status", new StatusCommand())
        .addSubcommand("rollback", new RollbackCommand())
        .addSubcommand("disable", new DisableCommand())
        .addSubcommand("delete", new DeleteCommand())
        .addSubcommand("verify", new VerifyCommand())
        .addSubcommand("archive", new ArchiveCommand());
  }

  public static void main(String[] args) {
    int code = VigilCli.run(commandLine(), args);
    if (runByFlink()) {
      // `flink run`, the REST API (`/jars/{id}/run`) or application mode (Kubernetes operator,
      // YARN): the main runs inside Flink's client or JobManager, where System.exit would stop
      // that JVM, the JobManager included. Return (or fail) like any Flink program.
      if (code != 0) {
        throw new IllegalStateException("vigil failed with exit code " + code + " (see above)");
      }
      return;
    }
    System.exit(code);
  }

  /**
   * Whether Flink runs this main: it then provides the execution environment (a context
   * environment); on the command line, {@code vigil run} and {@code vigil job} embed a local
   * MiniCluster.
   *
   * <p>Asked of the environment's context factories directly where possible: creating an
   * environment to find out sets up logging and parses Flink's configuration, a quarter of a second
   * at the start of every {@code vigil run}, before its cluster can start.
   */
  static boolean runByFlink() {
    return contextFactoryPresent()
        .orElseGet(
            () ->
                !(StreamExecutionEnvironment.getExecutionEnvironment()
                    instanceof LocalStreamEnvironment));
  }

  /** Whether a context environment factory is set (Flink 2.2's private fields), if readable. */
  private static java.util.Optional<Boolean> contextFactoryPresent() {
    try {
      java.lang.reflect.Field global =
          StreamExecutionEnvironment.class.getDeclaredField("contextEnvironmentFactory");
      java.lang.reflect.Field local =
          StreamExecutionEnvironment.class.getDeclaredField("threadLocalContextEnvironmentFactory");
      global.setAccessible(true);
      local.setAccessible(true);
      return java.util.Optional.of(
          global.get(null) != null || ((ThreadLocal<?>) local.get(null)).get() != null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }
}
