package io.vigil.console.streams.activity;

import java.time.Instant;

/**
 * A record the job could not turn into an event, as it wrote it to the dead-letter topic.
 *
 * @param payload the raw input, cut to {@link #PAYLOAD_SHOWN} characters for the page
 * @param origin {@code topic/partition@offset} of the input record
 */
public record DeadLetter(Instant at, String stream, String reason, String payload, String origin) {
  static final int PAYLOAD_SHOWN = 300;
}
