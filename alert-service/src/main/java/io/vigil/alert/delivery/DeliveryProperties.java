package io.vigil.alert.delivery;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The retry schedule shared by every channel.
 *
 * @param maxAttempts attempts before a delivery is parked
 * @param initialBackoff pause before the second attempt; doubles each time ("full jitter": the
 *     actual pause is uniformly random in [backoff/2, backoff])
 * @param maxBackoff the longest pause between two attempts
 * @param maxRetryAfter the longest {@code Retry-After} a receiver may impose
 * @param idempotencyTtl how long "(alert, subscription) was handled" is remembered; must exceed the
 *     retry horizon so that a redelivered alert can never cause a second notification
 * @param retention how long a delivered delivery's record is kept for inspection
 * @param pollInterval how often the schedule is polled for due deliveries and closed groups
 * @param workerThreads deliveries in flight at once, over all endpoints
 * @param lease how long a claimed delivery stays invisible; after a crash it is due again then
 * @param shutdownTimeout how long shutdown waits for deliveries in flight
 */
@Validated
@ConfigurationProperties("vigil.delivery")
public record DeliveryProperties(
    @Min(1) @DefaultValue("8") int maxAttempts,
    @DefaultValue("1s") Duration initialBackoff,
    @DefaultValue("5m") Duration maxBackoff,
    @DefaultValue("1h") Duration maxRetryAfter,
    @DefaultValue("7d") Duration idempotencyTtl,
    @DefaultValue("1d") Duration retention,
    @DefaultValue("100ms") Duration pollInterval,
    @Min(1) @DefaultValue("16") int workerThreads,
    @DefaultValue("2m") Duration lease,
    @DefaultValue("30s") Duration shutdownTimeout) {

  /** The longest time from the first attempt to parking. */
  public Duration retryHorizon() {
    Duration longest = maxBackoff.compareTo(maxRetryAfter) > 0 ? maxBackoff : maxRetryAfter;
    return longest.multipliedBy(maxAttempts).plus(lease);
  }

  @AssertTrue(message = "vigil.delivery.idempotency-ttl must be longer than the retry horizon")
  public boolean isIdempotencyLongerThanRetries() {
    return idempotencyTtl.compareTo(retryHorizon()) > 0;
  }
}
