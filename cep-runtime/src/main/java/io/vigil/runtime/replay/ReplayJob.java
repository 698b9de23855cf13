package io.vigil.runtime.replay;

import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.engine.VigilEngine;
import io.vigil.runtime.routing.EventTimeLimits;
import io.vigil.runtime.rules.compiled.CompilingRuleBuilder;
import io.vigil.runtime.source.EventLines;
import io.vigil.runtime.source.RawEvent;
import io.vigil.runtime.source.RawEventDecoding;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The bounded replay of a JSON Lines file through the same router and matcher as the long-running
 * job, all rules active from the first event. Its output is one stream of {@link ReplayLine}s:
 * alerts as JSON (written once, beside the matcher), dead letters and late events as reports.
 */
public final class ReplayJob {

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
        VigilEngine.builder(rules)
            .initialCommands(commands)
            .eventTimeLimits(timeLimits)
            .routerParallelism(1)
            .matcherParallelism(parallelism)
            .attach(raw, new RawEventDecoding(), control);
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
