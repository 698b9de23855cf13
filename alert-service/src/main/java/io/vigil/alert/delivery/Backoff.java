package io.vigil.alert.delivery;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: the pause after the failed attempt n is random in [b/2, b] where
 * b = initial × 2^(n−1), capped at max. Jitter spreads the retries of many deliveries that failed
 * together so that a recovering receiver is not hit by all of them at once. A receiver's
 * Retry-After, when longer, wins (capped at maxRetryAfter).
 *
 * <p>With the defaults (1 s, 1 h) the pauses are 0.5–1 s, 1–2 s, … 17–34 min, then 30–60 min for
 * every later attempt.
 */
public record Backoff(
    Duration initial, Duration max, Duration maxRetryAfter, RandomGenerator random) {

  public static Backoff of(DeliveryProperties p, RandomGenerator random) {
    return new Backoff(p.initialBackoff(), p.maxBackoff(), p.maxRetryAfter(), random);
  }

  /** The pause after the failed attempt {@code attempt} (1-based). */
  public Duration after(int attempt, Optional<Duration> retryAfter) {
    long base = ceilingMillis(attempt);
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

  /** The longest pause after the failed attempt {@code attempt}, without Retry-After. */
  public Duration longest(int attempt) {
    return Duration.ofMillis(ceilingMillis(attempt));
  }

  /** The shortest pause after the failed attempt {@code attempt}. */
  public Duration shortest(int attempt) {
    return Duration.ofMillis(ceilingMillis(attempt) / 2);
  }

  /** The longest time from the first to the last of {@code attempts} attempts (pauses only). */
  public Duration longestSpan(int attempts) {
    Duration span = Duration.ZERO;
    for (int n = 1; n < attempts; n++) {
      span = span.plus(longest(n));
    }
    return span;
  }

  /** The shortest time from the first to the last of {@code attempts} attempts. */
  public Duration shortestSpan(int attempts) {
    Duration span = Duration.ZERO;
    for (int n = 1; n < attempts; n++) {
      span = span.plus(shortest(n));
    }
    return span;
  }

  private long ceilingMillis(int attempt) {
    long base = initial.toMillis();
    for (int i = 1; i < attempt && base < max.toMillis(); i++) {
      base *= 2;
    }
    return Math.min(base, max.toMillis());
  }
}
