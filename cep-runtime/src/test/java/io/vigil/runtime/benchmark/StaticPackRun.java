package io.vigil.runtime.benchmark;

import com.fasterxml.jackson.core.JsonFactory;
import io.vigil.compiler.cli.RuleFiles;
import io.vigil.compiler.event.DecodingLimits;
import io.vigil.compiler.event.Event;
import io.vigil.compiler.event.EventDecoder;
import io.vigil.compiler.rule.RuleCompiler;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.dsl.schema.StreamSchema;
import io.vigil.runtime.alert.Alert;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleSources;
import io.vigil.runtime.engine.StaticCepBaseline;
import io.vigil.runtime.rules.compiled.CompilingRuleBuilder;
import io.vigil.runtime.source.EventLines;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

/**
 * The static baseline of {@code vigil run} on the same file: one Flink {@code CEP.pattern} operator
 * per rule ({@link StaticCepBaseline}), fed from the file's lines through the same one-pass
 * decoding ({@link EventLines#decode}), watermarks the largest lateness the streams declare behind
 * the latest event. Writes the alert ids, one per line, for comparison with {@code vigil run}'s.
 *
 * <p>Run by {@code benchmarks/vigil-run/static.sh}: {@code StaticPackRun RULES_DIR EVENTS_FILE
 * OUT_FILE}.
 */
public final class StaticPackRun {

  private StaticPackRun() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: StaticPackRun RULES_DIR EVENTS_FILE OUT_FILE");
      System.exit(2);
    }
    List<SourceFile> sources = RuleFiles.read(List.of(Path.of(args[0])));
    List<RuleCommand.DeclareStream> streams = new ArrayList<>();
    List<RuleCommand.UpsertRule> rules = new ArrayList<>();
    for (RuleCommand c : RuleSources.commands(sources, 1)) {
      if (c instanceof RuleCommand.DeclareStream s) {
        streams.add(s);
      } else if (c instanceof RuleCommand.UpsertRule r) {
        rules.add(r);
      }
    }
    Map<String, StreamSchema> schemas = RuleCompiler.compile(sources).streams();
    Duration lateness =
        schemas.values().stream()
            .map(StreamSchema::lateness)
            .max(Duration::compareTo)
            .orElse(Duration.ZERO);

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    env.getConfig().enableObjectReuse();
    FileSource<String> file =
        FileSource.forRecordStreamFormat(
                new TextLineInputFormat(), new org.apache.flink.core.fs.Path(args[1]))
            .build();
    DataStream<Event> events =
        env.fromSource(file, WatermarkStrategy.noWatermarks(), "events")
            .flatMap(new Decode(args[0]), io.vigil.runtime.matcher.state.EventSerializer.TYPE_INFO)
            .name("decode")
            .assignTimestampsAndWatermarks(
                WatermarkStrategy.<Event>forBoundedOutOfOrderness(lateness)
                    .withTimestampAssigner((e, t) -> e.timestamp()));
    DataStream<String> ids =
        StaticCepBaseline.attach(events, new CompilingRuleBuilder(), streams, rules)
            .map(Alert::alertId);
    long count = 0;
    try (CloseableIterator<String> it = ids.executeAndCollect("static-cep");
        BufferedWriter out = Files.newBufferedWriter(Path.of(args[2]), StandardCharsets.UTF_8)) {
      while (it.hasNext()) {
        out.write(it.next());
        out.newLine();
        count++;
      }
    }
    System.out.println("static CEP: " + rules.size() + " rules, " + count + " alerts");
  }

  /** The event of a line, as {@code vigil run} reads it in one pass; a line it cannot is fatal. */
  static final class Decode extends RichFlatMapFunction<String, Event> {
    private static final long serialVersionUID = 1L;
    private final String rules;
    private transient Map<String, Optional<EventDecoder>> decoders;
    private transient JsonFactory factory;

    /**
     * @param rules the rules' directory, whose streams the events are of
     */
    Decode(String rules) {
      this.rules = rules;
    }

    @Override
    public void open(OpenContext context) throws Exception {
      decoders = new HashMap<>();
      RuleCompiler.compile(RuleFiles.read(List.of(Path.of(rules))))
          .streams()
          .forEach((name, schema) -> decoders.put(name, Optional.of(new EventDecoder(schema))));
      factory = EventLines.lineFactory(DecodingLimits.defaults());
    }

    @Override
    public void flatMap(String line, Collector<Event> out) {
      if (line.isBlank()) {
        return;
      }
      byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
      Event event =
          EventLines.decode(
                  bytes,
                  0,
                  bytes.length,
                  factory,
                  stream -> decoders.getOrDefault(stream, Optional.empty()))
              .orElseThrow(() -> new IllegalArgumentException("not decoded in one pass: " + line));
      out.collect(event);
    }
  }
}
