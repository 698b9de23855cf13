package io.vigil.runtime.replay;

import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.routing.EventRouter;
import io.vigil.runtime.routing.EventRouting;
import io.vigil.runtime.routing.EventTimeGuard;
import io.vigil.runtime.routing.EventTimeLimits;
import io.vigil.runtime.routing.Routed;
import io.vigil.runtime.rules.RuleBook;
import io.vigil.runtime.rules.RuleBuilder;
import io.vigil.runtime.rules.RuleLimits;
import io.vigil.runtime.source.EventLines;
import io.vigil.runtime.source.RawEvent;
import io.vigil.runtime.source.RawEventDecoding;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Reads the lines of each {@link LineRange} it is given and decodes and routes them in the same
 * task, as the router would ({@link EventRouting}): no record crosses a task boundary between the
 * file's bytes and the routed event. Each routed event carries its line's byte offset, which
 * decides among equal timestamps in the matcher, so several readers give each key the order of a
 * single reader. The rules are those of the replay, fixed from the start.
 */
final class LineRangeRouter extends ProcessFunction<LineRange, Routed> {

  private static final long serialVersionUID = 1L;

  private final String file;
  private final RuleBuilder builder;
  private final List<RuleCommand> commands;
  private final EventTimeLimits timeLimits;

  private transient EventRouting<RawEvent> routing;
  private transient String origin;

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
    routing =
        new EventRouting<>(
            book,
            new RawEventDecoding(),
            // A replay has no idleness: only event time counts.
            new EventTimeGuard(timeLimits, Duration.ZERO, System::currentTimeMillis),
            getRuntimeContext().getMetricGroup().counter("eventsReadByNoRule"),
            getRuntimeContext().getMetricGroup().counter("deadLetters"));
    origin = Path.of(file).getFileName().toString();
  }

  @Override
  public void processElement(LineRange range, Context ctx, Collector<Routed> out) throws Exception {
    try (LineRangeReader reader = new LineRangeReader(Path.of(file), range)) {
      reader.forEach(
          (line, offset) -> {
            if (!line.isBlank()) {
              routing.route(
                  EventLines.parse(line, origin, offset),
                  out,
                  dead -> ctx.output(EventRouter.DEAD_LETTERS, dead));
            }
          });
    }
  }
}
