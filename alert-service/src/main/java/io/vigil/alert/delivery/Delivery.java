package io.vigil.alert.delivery;

import java.time.Instant;
import java.util.List;

/**
 * One notification to one subscription: a single alert, or a group/digest of alerts.
 *
 * @param idempotencyKey the alertId for a single alert; the delivery id for a group
 * @param alertsJson the alerts as a JSON array, exactly as stored
 * @param suppressed notifications the throttle swallowed before this one
 * @param attemptBase attempts before the last replay; retries count from here
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
    Instant createdAt) {

  public Delivery {
    attempts = List.copyOf(attempts);
  }

  /** The number of the next attempt since creation or the last replay, starting at 1. */
  public int nextAttemptNumber() {
    return attempts.size() - attemptBase + 1;
  }
}
