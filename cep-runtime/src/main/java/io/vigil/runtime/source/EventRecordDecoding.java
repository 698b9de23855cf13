package io.vigil.runtime.source;

import io.vigil.compiler.event.DecodingLimits;
import io.vigil.dsl.schema.StreamSchema;
import java.util.Optional;

/**
 * Decodes the value bytes of event records for the stream's current schema with the rule compiler's
 * {@link io.vigil.compiler.event.EventDecoder}: from the bytes into the field array, in one pass.
 * What it accepts and how it words a rejection are those of {@link RawEventDecoding} on the value's
 * text.
 */
public final class EventRecordDecoding implements EventDecoding<EventRecord> {

  private static final long serialVersionUID = 1L;

  private final StreamDecoders decoders;

  /** Decoding that refuses messages beyond {@code limits} (they become dead letters). */
  public EventRecordDecoding(DecodingLimits limits) {
    this.decoders = new StreamDecoders(limits);
  }

  @Override
  public Result decode(EventRecord input, Optional<StreamSchema> schema) {
    if (schema.isEmpty()) {
      return Result.failed("unknown stream '" + input.stream() + "'");
    }
    return Result.of(decoders.decoder(input.stream(), schema.get()).decode(input.value()));
  }

  @Override
  public String stream(EventRecord input) {
    return input.stream();
  }

  @Override
  public int partition(EventRecord input) {
    return input.partition() < 0 ? NO_PARTITION : input.partition();
  }

  @Override
  public RawEvent raw(EventRecord input) {
    return input.raw();
  }
}
