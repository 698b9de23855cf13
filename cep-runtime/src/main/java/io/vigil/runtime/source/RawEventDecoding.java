package io.vigil.runtime.source;

import io.vigil.compiler.event.DecodingLimits;
import io.vigil.compiler.event.EventDecoder;
import io.vigil.dsl.schema.StreamSchema;
import java.util.Optional;

/**
 * Decodes JSON payloads with the rule compiler's {@link EventDecoder} for the stream's current
 * schema. Decoders are cached per schema (a re-declared stream gets a new one).
 */
public final class RawEventDecoding implements EventDecoding<RawEvent> {

  private static final long serialVersionUID = 1L;

  private final StreamDecoders decoders;

  /** Decoding within the default {@link DecodingLimits}. */
  public RawEventDecoding() {
    this(DecodingLimits.defaults());
  }

  /** Decoding that refuses messages beyond {@code limits} (they become dead letters). */
  public RawEventDecoding(DecodingLimits limits) {
    this.decoders = new StreamDecoders(limits);
  }

  @Override
  public Result decode(RawEvent input, Optional<StreamSchema> schema) {
    if (input.stream().equals(EventLines.NO_STREAM)) {
      return Result.failed("malformed line: expected {\"stream\":…,\"event\":{…}}");
    }
    if (schema.isEmpty()) {
      return Result.failed("unknown stream '" + input.stream() + "'");
    }
    EventDecoder decoder = decoder(input.stream(), schema.get());
    return Result.of(decoder.decode(input.payload()));
  }

  /** The decoder of {@code stream}'s events for {@code schema}, made once per schema. */
  public EventDecoder decoder(String stream, StreamSchema schema) {
    return decoders.decoder(stream, schema);
  }

  /** The limits events are decoded within. */
  public DecodingLimits limits() {
    return decoders.limits();
  }

  @Override
  public String stream(RawEvent input) {
    return input.stream();
  }

  @Override
  public int partition(RawEvent input) {
    return input.partition() < 0 ? NO_PARTITION : input.partition();
  }

  /** A file's line: its byte offset (a Kafka record's offset orders only its partition). */
  @Override
  public long order(RawEvent input) {
    return input.partition() < 0 && input.offset() >= 0 ? input.offset() : ARRIVAL_ORDER;
  }

  @Override
  public RawEvent raw(RawEvent input) {
    return input;
  }
}
