package io.vigil.alert.delivery;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: the pause before attempt n+1 is random in [b/2, b] where b =
 * initial × 2^(n−1), capped at max. Jitter spreads the retries of many deliveries that failed
 * together so that a recovering receiver is not hit by all of them at once. A receiver's
 * Retry-After, when longer, wins (capped at maxRetryAfter).
 */
public record Backoff(
    Duration initial, Duration max, Duration maxRetryAfter, RandomGenerator random) {

  public static Backoff of(DeliveryProperties p, RandomGenerator random) {
    return new Backoff(p.initialBackoff(), p.maxBackoff(), p.maxRetryAfter(), random);
  }

  /** The pause after the failed attempt {@code attempt} (1-based). */
  public Duration after(int attempt, Optional<Duration> retryAfter) {
    long base = initial.toMillis();
    for (int i = 1; i < attempt && base < max.toMillis(); i++) {
      base *= 2;
    }
    base = Math.min(base, max.toMillis());
    long jittered = base / 2 + (base <= 1 ? 0 : random.nextLong(base - base / 2 + 1));
    Duration pause = Duration.ofMillis(jittered);
    if (retryAfter.isPresent()) {
      Duration wanted =
          retryAfter.get().compareTo(maxRetryAfter) > 0 ? maxRetryAfter : retryAfter.get();
      if (wanted.compareTo(pause) > 0) {
        pause = wanted;
      }
    }
    return pause;
  }
}
