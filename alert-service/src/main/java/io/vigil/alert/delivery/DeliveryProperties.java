package io.vigil.alert.delivery;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.random.RandomGenerator;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The retry schedule shared by every channel. With the defaults a delivery is retried for at least
 * 24 hours (60 attempts, {@link Backoff}) before it is parked; see {@link #retryHorizon()}.
 *
 * @param maxAttempts real attempts (calls to the receiver) before a delivery is parked; a delivery
 *     deferred because its endpoint's circuit is open spends none
 * @param initialBackoff pause before the second attempt; doubles each time (the actual pause is
 *     uniformly random in [backoff/2, backoff])
 * @param maxBackoff the longest pause between two attempts
 * @param maxRetryAfter the longest {@code Retry-After} a receiver may impose
 * @param idempotencyTtl how long "(alert, subscription) was handled" is remembered; must exceed the
 *     retry horizon so that a redelivered alert can never cause a second notification
 * @param retention how long a delivered delivery's record is kept for inspection
 * @param pollInterval how often the schedule is polled for due deliveries and closed groups
 * @param workerThreads deliveries in flight at once, over all endpoints
 * @param lease how long a claimed delivery stays invisible; after a crash it is due again then
 * @param shutdownTimeout how long shutdown waits for deliveries in flight
 * @param autoReplay when a call to a subscription succeeds, put its parked deliveries (except those
 *     parked after a permanent failure) back on the schedule
 */
@Validated
@ConfigurationProperties("vigil.delivery")
public record DeliveryProperties(
    @Min(1) @DefaultValue("60") int maxAttempts,
    @DefaultValue("1s") Duration initialBackoff,
    @DefaultValue("1h") Duration maxBackoff,
    @DefaultValue("1h") Duration maxRetryAfter,
    @DefaultValue("7d") Duration idempotencyTtl,
    @DefaultValue("1d") Duration retention,
    @DefaultValue("100ms") Duration pollInterval,
    @Min(1) @DefaultValue("16") int workerThreads,
    @DefaultValue("2m") Duration lease,
    @DefaultValue("30s") Duration shutdownTimeout,
    @DefaultValue("true") boolean autoReplay) {

  /** The schedule's pauses, without randomness (for the spans). */
  public Backoff backoff() {
    return Backoff.of(this, RandomGenerator.getDefault());
  }

  /**
   * The longest a delivery stays on the schedule before it is parked: the longest pauses between
   * {@code maxAttempts} attempts, plus one lease per attempt (an attempt holds its delivery for at
   * most a lease). A delivery whose next try would fall later (because it was deferred while its
   * endpoint's circuit was open, or a receiver asked for a long Retry-After) is parked then.
   */
  public Duration retryHorizon() {
    return backoff().longestSpan(maxAttempts).plus(lease.multipliedBy(maxAttempts));
  }

  /** The shortest time between the first and the last attempt of a delivery that keeps failing. */
  public Duration shortestRetrySpan() {
    return backoff().shortestSpan(maxAttempts);
  }

  @AssertTrue(message = "vigil.delivery.idempotency-ttl must be longer than the retry horizon")
  public boolean isIdempotencyLongerThanRetries() {
    return idempotencyTtl.compareTo(retryHorizon()) > 0;
  }
}
