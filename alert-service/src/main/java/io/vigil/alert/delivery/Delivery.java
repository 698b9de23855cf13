package io.vigil.alert.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One notification to one subscription: a single alert, or a group/digest of alerts.
 *
 * @param idempotencyKey the alertId for a single alert; the delivery id for a group
 * @param alertsJson the alerts as a JSON array, exactly as stored
 * @param suppressed notifications the throttle (or a full group) swallowed before this one
 * @param attempts every real call, over the delivery's whole life (replays included)
 * @param attemptBase attempts before the last replay; retries count from here
 * @param since when the delivery was scheduled, or last replayed: its retry horizon runs from here
 * @param parkNote why it was parked; empty unless parked
 * @param test a test send (an operator's check of the receiver, not an alert): delivered or failed
 *     with its one attempt, never retried, parked or replayed
 */
public record Delivery(
    String id,
    String subscriptionId,
    String idempotencyKey,
    String alertsJson,
    int suppressed,
    List<Attempt> attempts,
    int attemptBase,
    DeliveryStatus status,
    Instant createdAt,
    Instant since,
    String parkNote,
    boolean test) {

  public Delivery {
    attempts = List.copyOf(attempts);
  }

  /** The number of the next attempt since creation or the last replay, starting at 1. */
  public int nextAttemptNumber() {
    return attempts.size() - attemptBase + 1;
  }

  /** After this instant the delivery is parked rather than tried again. */
  public Instant retryDeadline(Duration horizon) {
    return since.plus(horizon);
  }
}
