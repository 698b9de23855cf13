package io.vigil.runtime.cli;

import io.vigil.runtime.deploy.DeployException;
import io.vigil.runtime.deploy.Deployer;
import io.vigil.runtime.deploy.Publication;
import io.vigil.runtime.deploy.Rollout;
import io.vigil.runtime.deploy.RolloutStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * A command that talks to a running job through Kafka ({@code deploy}, {@code status}, {@code
 * rollback}, {@code disable}, {@code delete}). Exit status: 0 done, 1 a rule or stream has an error
 * or the job rejected a command, 2 a usage or Kafka error, 3 the job did not acknowledge in time.
 */
abstract class DeployingCommand implements Callable<Integer> {

  static final int OK = 0;
  static final int REJECTED = 1;
  static final int FAILED = 2;
  static final int TIMED_OUT = 3;

  @Mixin KafkaConnectionOptions kafka;

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public final Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (Deployer deployer = new Deployer(kafka.settings())) {
      return run(deployer, out, err);
    } catch (IllegalArgumentException | DeployException e) {
      err.println("vigil " + spec.name() + ": " + e.getMessage());
      return FAILED;
    } finally {
      out.flush();
      err.flush();
    }
  }

  abstract int run(Deployer deployer, PrintWriter out, PrintWriter err);

  /**
   * Prints what was published and, when {@code wait}, follows the job's acknowledgements: one line
   * per publication as it completes or is rejected, and the unfinished ones at the end.
   */
  static int follow(
      Deployer deployer,
      List<Publication> publications,
      boolean wait,
      Duration timeout,
      PrintWriter out) {
    List<Publication> changed = publications.stream().filter(Publication::changed).toList();
    for (Publication p : publications) {
      if (!p.changed()) {
        out.printf("%s v%d unchanged%n", p.key(), p.version());
      } else if (!wait) {
        out.printf("%s v%d published (%s)%n", p.key(), p.version(), verb(p));
      }
    }
    out.flush();
    if (!wait || changed.isEmpty()) {
      return OK;
    }
    Set<Rollout> reported = new HashSet<>();
    List<RolloutStatus> results =
        deployer.awaitAll(
            changed.stream().map(Publication::rollout).toList(),
            timeout,
            status -> {
              if (status.progress() != RolloutStatus.Progress.WAITING
                  && reported.add(status.rollout())) {
                out.println(status.summary());
                out.flush();
              }
            });
    int code = OK;
    for (RolloutStatus status : results) {
      if (status.progress() == RolloutStatus.Progress.REJECTED) {
        code = REJECTED;
      } else if (status.progress() == RolloutStatus.Progress.WAITING) {
        out.println(
            status.summary() + " (no complete acknowledgement within " + text(timeout) + ")");
        code = code == OK ? TIMED_OUT : code;
      }
    }
    out.flush();
    return code;
  }

  private static String text(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  private static String verb(Publication p) {
    return p.rollout().expected().name().toLowerCase(Locale.ROOT);
  }

  /** Picocli converter of durations: {@code 500ms}, {@code 30s}, {@code 5m}, or ISO-8601. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
      String t = text.trim().toLowerCase(Locale.ROOT);
      if (t.startsWith("p")) {
        return Duration.parse(text.trim());
      }
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      return switch (t.charAt(t.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> throw new CommandLine.TypeConversionException("expected e.g. 500ms, 30s, 5m");
      };
    }
  }

  /** {@code --wait/--no-wait} and {@code --timeout}, for commands that publish. */
  static final class WaitOptions {
    @CommandLine.Option(
        names = "--wait",
        negatable = true,
        defaultValue = "true",
        fallbackValue = "true",
        description =
            "Follow the job's acknowledgements until every change is active on all subtasks or"
                + " rejected (default: on; --no-wait publishes and returns).")
    boolean wait;

    @CommandLine.Option(
        names = "--timeout",
        defaultValue = "60s",
        converter = DurationConverter.class,
        paramLabel = "DURATION",
        description = "How long to wait for acknowledgements (default: ${DEFAULT-VALUE}).")
    Duration timeout;
  }
}
