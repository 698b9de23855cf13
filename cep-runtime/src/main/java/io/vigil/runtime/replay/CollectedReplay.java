package io.vigil.runtime.replay;

import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.alert.AlertJson;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.routing.EventTimeLimits;
import io.vigil.runtime.rules.compiled.CompilingRuleBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * What a bounded replay of a JSON Lines file produced, collected in memory: the alerts in {@link
 * ReplayLine#ALERT_ORDER}, the dead-letter and late-event reports, and their counts. For callers
 * that check a replay's outcome ({@code vigil verify}, the console's test runs, tests); {@code
 * vigil run} writes its output to files instead ({@link ReplayJob#toFiles}).
 */
public record CollectedReplay(
    List<Alert> alerts, List<String> problems, int deadLetters, int late) {

  /** Replays {@code eventsFile} through {@code commands} on a local MiniCluster. */
  public static CollectedReplay of(List<RuleCommand> commands, Path eventsFile, int parallelism)
      throws Exception {
    // A local MiniCluster from the command line; the surrounding cluster in tests.
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(Math.max(1, parallelism));
    return of(env, commands, eventsFile, parallelism);
  }

  /** As above on a given environment (tests pass the shared MiniCluster's). */
  public static CollectedReplay of(
      StreamExecutionEnvironment env, List<RuleCommand> commands, Path eventsFile, int parallelism)
      throws Exception {
    return of(
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
  public static CollectedReplay of(
      StreamExecutionEnvironment env,
      List<RuleCommand> commands,
      Path eventsFile,
      int parallelism,
      EventTimeLimits timeLimits)
      throws Exception {
    return of(env, commands, eventsFile, parallelism, timeLimits, new CompilingRuleBuilder());
  }

  /** As above, rules built by {@code rules} (e.g. within raised limits). */
  public static CollectedReplay of(
      StreamExecutionEnvironment env,
      List<RuleCommand> commands,
      Path eventsFile,
      int parallelism,
      EventTimeLimits timeLimits,
      CompilingRuleBuilder rules)
      throws Exception {
    DataStream<ReplayLine> lines =
        ReplayJob.lines(env, commands, eventsFile, parallelism, timeLimits, rules);
    List<ReplayLine> alertLines = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    int dead = 0;
    int late = 0;
    try (CloseableIterator<ReplayLine> it = lines.executeAndCollect("vigil run")) {
      while (it.hasNext()) {
        ReplayLine line = it.next();
        switch (line.kind()) {
          case ALERT -> alertLines.add(line);
          case DEAD_LETTER -> {
            dead++;
            problems.add(line.text());
          }
          case LATE -> {
            late++;
            problems.add(line.text());
          }
        }
      }
    }
    alertLines.sort(ReplayLine.ALERT_ORDER);
    List<Alert> alerts = alertLines.stream().map(line -> AlertJson.read(line.text())).toList();
    return new CollectedReplay(alerts, problems, dead, late);
  }
}
