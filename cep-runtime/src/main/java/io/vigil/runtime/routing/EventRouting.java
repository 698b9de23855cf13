package io.vigil.runtime.routing;

import io.vigil.compiler.event.Event;
import io.vigil.dsl.schema.StreamSchema;
import io.vigil.runtime.rules.RuleBook;
import io.vigil.runtime.source.DeadLetter;
import io.vigil.runtime.source.EventDecoding;
import io.vigil.runtime.source.RawEvent;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;

/**
 * What the router does with one input, wherever it runs (the {@link EventRouter} operator, or a
 * reader that decodes and routes in the same task as it reads): decode for the stream's schema,
 * refuse events dated too far ahead ({@link EventTimeGuard}), and emit one {@link Routed} per
 * partition spec among the rules that read the stream.
 */
public final class EventRouting<IN> {

  private final RuleBook book;
  private final EventDecoding<IN> decoding;
  private final EventTimeGuard timeGuard;
  private final Counter unread;
  private final Counter deadLetters;

  /**
   * @param unread counts events no rule reads
   * @param deadLetters counts inputs sent to the dead letters
   */
  public EventRouting(
      RuleBook book,
      EventDecoding<IN> decoding,
      EventTimeGuard timeGuard,
      Counter unread,
      Counter deadLetters) {
    this.book = book;
    this.decoding = decoding;
    this.timeGuard = timeGuard;
    this.unread = unread;
    this.deadLetters = deadLetters;
  }

  /** Routes {@code input} to {@code out}, or reports it to {@code dead}. */
  public void route(IN input, Collector<Routed> out, Consumer<DeadLetter> dead) {
    String stream = decoding.stream(input);
    Optional<StreamSchema> schema = book.stream(stream);
    EventDecoding.Result result = decoding.decode(input, schema);
    if (result.event().isEmpty()) {
      deadLetter(input, stream, result.reason(), dead);
      return;
    }
    routeDecoded(
        result.event().get(),
        decoding.partition(input),
        decoding.order(input),
        () -> input,
        out,
        dead);
  }

  /** The schema the book has for {@code stream}, which events of it are decoded for. */
  public Optional<StreamSchema> schema(String stream) {
    return book.stream(stream);
  }

  /**
   * Routes an event its reader decoded itself for the book's schema of its stream (see {@link
   * #schema}), at {@code partition} and {@code order} as {@link EventDecoding} gives them; {@code
   * input} is asked for only when the event becomes a dead letter.
   */
  public void routeDecoded(
      Event event,
      int partition,
      long order,
      Supplier<IN> input,
      Collector<Routed> out,
      Consumer<DeadLetter> dead) {
    String stream = event.stream();
    long lateness = book.stream(stream).map(s -> s.lateness().toMillis()).orElse(0L);
    Optional<String> tooFarAhead = timeGuard.check(stream, event.timestamp(), lateness);
    if (tooFarAhead.isPresent()) {
      deadLetter(input.get(), stream, tooFarAhead.get(), dead);
      return;
    }
    boolean routed = false;
    for (RuleBook.Route route : book.routesOf(stream)) {
      if (event.timestamp() < route.activeFrom()) {
        continue;
      }
      Optional<String> key =
          route.keyer().keyValues(event).map(v -> RoutingKeys.of(route.spec(), v));
      if (key.isPresent()) {
        out.collect(new Routed(key.get(), event, !routed, lateness, partition, order));
        routed = true;
      }
    }
    if (!routed) {
      unread.inc();
    }
  }

  private void deadLetter(IN input, String stream, String reason, Consumer<DeadLetter> dead) {
    deadLetters.inc();
    RawEvent raw = decoding.raw(input);
    dead.accept(
        new DeadLetter(
            reason,
            stream,
            raw.payload(),
            raw.source(),
            raw.partition(),
            raw.offset(),
            System.currentTimeMillis()));
  }
}
