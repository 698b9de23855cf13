package io.vigil.runtime.source;

import io.vigil.compiler.event.DecodeResult;
import io.vigil.compiler.event.Event;
import io.vigil.dsl.schema.StreamSchema;
import java.io.Serializable;
import java.util.Optional;

/**
 * How the router turns its input into events, given the stream schemas known at that moment (they
 * come with the control stream). A failure is a reason, never an exception: the record goes to the
 * dead letters and the job goes on.
 */
public interface EventDecoding<IN> extends Serializable {

  /** The partition of an input that did not come from a Kafka partition. */
  int NO_PARTITION = -1;

  /** The order of an input whose arrival decides among equal timestamps. */
  long ARRIVAL_ORDER = -1;

  /** The decoded event, or the reason it could not be decoded. */
  Result decode(IN input, Optional<StreamSchema> schema);

  /** The stream the input claims to belong to (used to look up its schema). */
  String stream(IN input);

  /**
   * The partition of the stream's topic the input was read from, or {@link #NO_PARTITION}: event
   * time is tracked per stream and partition (as Flink's Kafka source does per split).
   */
  default int partition(IN input) {
    return NO_PARTITION;
  }

  /**
   * The input's position in an input read by several readers at once, which decides among events
   * with equal timestamps; {@link #ARRIVAL_ORDER} when the order of arrival decides (Kafka: one
   * reader per partition keeps it).
   */
  default long order(IN input) {
    return ARRIVAL_ORDER;
  }

  /** The raw input of a dead letter: payload and where it came from. */
  RawEvent raw(IN input);

  /** Either an event or a reason. */
  record Result(Optional<Event> event, String reason) {
    public static Result ok(Event event) {
      return new Result(Optional.of(event), "");
    }

    public static Result failed(String reason) {
      return new Result(Optional.empty(), reason);
    }

    /** A decoder's answer: its event, or its rejection as the reason. */
    public static Result of(DecodeResult decoded) {
      return decoded
          .decoded()
          .map(Result::ok)
          .orElseGet(() -> failed(decoded.rejection().orElse("rejected")));
    }
  }

  /** For streams of already decoded events (the library API). */
  static EventDecoding<Event> decoded() {
    return new EventDecoding<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public Result decode(Event input, Optional<StreamSchema> schema) {
        return schema.isPresent()
            ? Result.ok(input)
            : Result.failed("unknown stream '" + input.stream() + "'");
      }

      @Override
      public String stream(Event input) {
        return input.stream();
      }

      @Override
      public RawEvent raw(Event input) {
        return new RawEvent(input.stream(), input.toString(), "datastream", -1, -1);
      }
    };
  }
}
