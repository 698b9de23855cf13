package io.vigil.runtime.replay;

import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.engine.VigilEngine;
import io.vigil.runtime.routing.EventTimeLimits;
import io.vigil.runtime.routing.Routed;
import io.vigil.runtime.routing.RoutedSerializer;
import io.vigil.runtime.rules.compiled.CompilingRuleBuilder;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The bounded replay of a JSON Lines file through the same router and matcher as the long-running
 * job, all rules active from the first event. Its output is one stream of {@link ReplayLine}s:
 * alerts as JSON (written once, beside the matcher), dead letters and late events as reports.
 */
public final class ReplayJob {

  /**
   * How readers take the file: in ranges of {@code rangeBytes}, every reader every range in order,
   * and a watermark after every {@code watermarkEvery} events a reader routes.
   */
  record Reading(long rangeBytes, int watermarkEvery) {

    /**
     * Ranges large enough to cost nothing. A watermark after every 50 000 events, and none at the
     * clock's pace: the events read between two watermarks wait in memory for the next (a reader
     * that outran a 200 ms clock left 35 000–250 000 of them there, which every young collection
     * copied), and the file alone decides which events are late.
     */
    static final Reading DEFAULT = new Reading(256 * 1024, 50_000);

    Reading withRangeBytes(long bytes) {
      return new Reading(bytes, watermarkEvery);
    }

    Reading withWatermarkEvery(int events) {
      return new Reading(rangeBytes, events);
    }
  }

  private ReplayJob() {}

  /**
   * Builds the replay of {@code eventsFile} through {@code commands} on {@code env}, rules built by
   * {@code rules} (e.g. within raised limits).
   */
  public static DataStream<ReplayLine> lines(
      StreamExecutionEnvironment env,
      List<RuleCommand> commands,
      Path eventsFile,
      int parallelism,
      EventTimeLimits timeLimits,
      CompilingRuleBuilder rules) {
    return lines(env, commands, eventsFile, parallelism, timeLimits, rules, Reading.DEFAULT);
  }

  /** As above, the file read as {@code reading} says. */
  static DataStream<ReplayLine> lines(
      StreamExecutionEnvironment env,
      List<RuleCommand> commands,
      Path eventsFile,
      int parallelism,
      EventTimeLimits timeLimits,
      CompilingRuleBuilder rules,
      Reading reading) {
    // No function here mutates or keeps its input: chained operators may pass objects on.
    env.getConfig().enableObjectReuse();
    // Event time follows the file, not the clock (see Reading.DEFAULT). The rules' input
    // ends after its one record, and its end releases the event time it would hold.
    env.getConfig().setAutoWatermarkInterval(0);
    // Every reader reads every range, in order, and decodes and routes in the task that reads,
    // keeping the events of its own keys: the matcher runs in the same task, and each reader's
    // event time follows the file. Each event carries its line's offset, which decides among equal
    // timestamps for every key.
    DataStream<LineRange> ranges =
        env.fromData(
                LineRange.split(eventsFile, reading.rangeBytes()),
                TypeInformation.of(LineRange.class))
            .name("events-file-ranges")
            .setParallelism(1);
    // One reader takes the ranges in the source's task; several each take all of them.
    SingleOutputStreamOperator<Routed> routed =
        (parallelism == 1 ? ranges : ranges.broadcast())
            .process(
                new LineRangeRouter(eventsFile, rules, commands, timeLimits),
                RoutedSerializer.TYPE_INFO)
            .name("events-file-router")
            .uid("vigil-router")
            .setParallelism(parallelism);
    DataStream<RuleCommand> control =
        env.fromData(List.of(commands.get(0)), TypeInformation.of(RuleCommand.class));
    VigilEngine.Outputs outputs =
        VigilEngine.builder(rules)
            .initialCommands(commands)
            .fixedRules()
            .eventTimeLimits(timeLimits)
            .watermarkEveryEvents(reading.watermarkEvery())
            .matcherParallelism(parallelism)
            .attachRouted(routed, control);
    TypeInformation<ReplayLine> type = TypeInformation.of(ReplayLine.class);
    return outputs
        .alerts()
        .map(ReplayLine::alert, type)
        .name("alert-json")
        .union(
            outputs.deadLetters().map(ReplayLine::deadLetter, type).name("dead-letter-report"),
            outputs.late().map(ReplayLine::late, type).name("late-report"));
  }

  /** Runs the replay to completion; its output goes to {@code files}. */
  public static ReplayFiles.Counts toFiles(
      StreamExecutionEnvironment env,
      List<RuleCommand> commands,
      Path eventsFile,
      int parallelism,
      EventTimeLimits timeLimits,
      CompilingRuleBuilder rules,
      ReplayFiles files)
      throws Exception {
    lines(env, commands, eventsFile, parallelism, timeLimits, rules)
        .sinkTo(new ReplayFileSink(files))
        .name("replay-files")
        .setParallelism(1);
    env.execute("vigil run");
    return files.counts();
  }
}
