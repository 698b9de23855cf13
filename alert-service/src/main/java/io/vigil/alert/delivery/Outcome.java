package io.vigil.alert.delivery;

import java.time.Duration;
import java.util.Optional;

/** What a channel says about one attempt. */
public sealed interface Outcome {
  /** Received (HTTP 2xx, or the SMTP server accepted the mail). */
  record Delivered(int status) implements Outcome {}

  /**
   * Failed in a way worth retrying (5xx, 429, 408, network error, deadline, a mail that did not
   * render); may carry Retry-After.
   */
  record Retryable(int status, String error, Optional<Duration> retryAfter) implements Outcome {}

  /** Failed in a way that retrying cannot fix (other 4xx, refused URL): parked at once. */
  record Permanent(int status, String error) implements Outcome {}

  /**
   * Not attempted: due again after the pause, without using up an attempt.
   *
   * @param circuitOpen true when the endpoint's circuit is open (rather than the endpoint busy)
   */
  record Deferred(Duration pause, boolean circuitOpen) implements Outcome {}
}
