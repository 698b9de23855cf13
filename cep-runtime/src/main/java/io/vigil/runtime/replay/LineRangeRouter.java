package io.vigil.runtime.replay;

import com.fasterxml.jackson.core.JsonFactory;
import io.vigil.compiler.event.Event;
import io.vigil.compiler.event.EventDecoder;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.routing.EventRouter;
import io.vigil.runtime.routing.EventRouting;
import io.vigil.runtime.routing.EventTimeGuard;
import io.vigil.runtime.routing.EventTimeLimits;
import io.vigil.runtime.routing.Routed;
import io.vigil.runtime.rules.RuleBook;
import io.vigil.runtime.rules.RuleBuilder;
import io.vigil.runtime.rules.RuleLimits;
import io.vigil.runtime.source.DeadLetter;
import io.vigil.runtime.source.EventDecoding;
import io.vigil.runtime.source.EventLines;
import io.vigil.runtime.source.LineDecoder;
import io.vigil.runtime.source.RawEvent;
import io.vigil.runtime.source.RawEventDecoding;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Reads the lines of each {@link LineRange} it is given and decodes and routes them in the same
 * task, as the router would ({@link EventRouting}): no record crosses a task boundary between the
 * file's bytes and the routed event. Each routed event carries its line's byte offset, which
 * decides among equal timestamps in the matcher, so several readers give each key the order of a
 * single reader. The rules are those of the replay, fixed from the start.
 *
 * <p>Several readers each read the whole file, in order, and route every event: each keeps its own
 * task's keys after its watermarks (see {@code VigilEngine#attachRouted}), so event time follows
 * the file in every reader as in one. Only the first reports dead letters.
 */
final class LineRangeRouter extends ProcessFunction<LineRange, Routed> {

  private static final long serialVersionUID = 1L;

  private final String file;
  private final RuleBuilder builder;
  private final List<RuleCommand> commands;
  private final EventTimeLimits timeLimits;

  private transient boolean firstReader;
  private transient EventRouting<RawEvent> routing;
  private transient RawEventDecoding decoding;
  private transient JsonFactory lineFactory;
  private transient Function<String, Optional<EventDecoder>> decoders;
  private transient String origin;
  private transient byte[] chunk;

  LineRangeRouter(
      Path file, RuleBuilder builder, List<RuleCommand> commands, EventTimeLimits timeLimits) {
    this.file = file.toAbsolutePath().toString();
    this.builder = builder;
    this.commands = List.copyOf(commands);
    this.timeLimits = timeLimits;
  }

  @Override
  public void open(OpenContext openContext) {
    RuleBook book = new RuleBook(builder, RuleLimits.defaults());
    book.load(List.of(), commands);
    decoding = new RawEventDecoding();
    lineFactory = EventLines.lineFactory(decoding.limits());
    // Every reader routes every line: the first reports and counts what is the same in all.
    firstReader = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
    MetricGroup metrics = getRuntimeContext().getMetricGroup();
    routing =
        new EventRouting<>(
            book,
            decoding,
            // A replay has no idleness: only event time counts.
            new EventTimeGuard(timeLimits, Duration.ZERO, System::currentTimeMillis),
            firstReader ? metrics.counter("eventsReadByNoRule") : new SimpleCounter(),
            firstReader ? metrics.counter("deadLetters") : new SimpleCounter());
    origin = Path.of(file).getFileName().toString();
    decoders = stream -> routing.schema(stream).map(s -> decoding.decoder(stream, s));
    chunk = LineRangeReader.newChunk();
  }

  @Override
  public void processElement(LineRange range, Context ctx, Collector<Routed> out) throws Exception {
    Consumer<DeadLetter> dead =
        firstReader ? d -> ctx.output(EventRouter.DEAD_LETTERS, d) : d -> {};
    try (LineRangeReader reader = new LineRangeReader(Path.of(file), range, chunk);
        LineDecoder lines = new LineDecoder(lineFactory, decoders)) {
      reader.forEach(
          (bytes, from, length, offset) -> {
            if (LineRangeReader.blank(bytes, from, length)) {
              return;
            }
            // Most lines are decoded in one pass from their bytes; the others as text, where the
            // decoder words what is wrong with them.
            Optional<Event> event = lines.decode(bytes, from, length, offset);
            if (event.isPresent()) {
              // The bytes are still the line's while it is routed: a dead letter reads them.
              routing.routeDecoded(
                  event.get(),
                  EventDecoding.NO_PARTITION,
                  offset,
                  () ->
                      EventLines.parse(
                          new String(bytes, from, length, StandardCharsets.UTF_8), origin, offset),
                  out,
                  dead);
            } else {
              routing.route(
                  EventLines.parse(
                      new String(bytes, from, length, StandardCharsets.UTF_8), origin, offset),
                  out,
                  dead);
            }
          });
    }
  }
}
