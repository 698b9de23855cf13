package io.vigil.alert.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The retry schedule and the horizon it reports, computed by replaying the schedule itself. */
class RetryScheduleTest {

  private static DeliveryProperties bind(Map<String, String> values) {
    return new Binder(new MapConfigurationPropertySource(values))
        .bindOrCreate("vigil.delivery", DeliveryProperties.class);
  }

  /** A generator that always draws the largest (or smallest) value it may. */
  private static RandomGenerator extreme(boolean largest) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        return 0;
      }

      @Override
      public long nextLong(long bound) {
        return largest ? bound - 1 : 0;
      }
    };
  }

  /** Sums the pauses the schedule really draws between maxAttempts failed attempts. */
  private static Duration playOut(DeliveryProperties p, RandomGenerator random) {
    Backoff backoff = Backoff.of(p, random);
    Duration total = Duration.ZERO;
    for (int attempt = 1; attempt < p.maxAttempts(); attempt++) {
      total = total.plus(backoff.after(attempt, Optional.empty()));
    }
    return total;
  }

  @Test
  void theDefaultScheduleRetriesForAtLeastTwentyFourHours() {
    DeliveryProperties defaults = bind(Map.of());
    assertThat(playOut(defaults, extreme(false))).isGreaterThanOrEqualTo(Duration.ofHours(24));
    assertThat(defaults.shortestRetrySpan()).isEqualTo(playOut(defaults, extreme(false)));
    assertThat(defaults.isIdempotencyLongerThanRetries()).isTrue();
  }

  @Test
  void theRetryHorizonIsTheLongestScheduleWithALeasePerAttempt() {
    for (Map<String, String> values :
        java.util.List.of(
            Map.<String, String>of(),
            Map.of("vigil.delivery.max-attempts", "8", "vigil.delivery.max-backoff", "5m"),
            Map.of(
                "vigil.delivery.initial-backoff", "25ms",
                "vigil.delivery.max-backoff", "90s",
                "vigil.delivery.lease", "10s"))) {
      DeliveryProperties p = bind(values);
      Duration longest = playOut(p, extreme(true));
      assertThat(p.retryHorizon())
          .as(values.toString())
          .isEqualTo(longest.plus(p.lease().multipliedBy(p.maxAttempts())));
    }
  }

  @Test
  void everyDrawnScheduleLiesBetweenTheShortestAndTheLongestSpan() {
    DeliveryProperties p = bind(Map.of());
    Backoff backoff = p.backoff();
    SplittableRandom seeds = new SplittableRandom(42);
    for (int run = 0; run < 200; run++) {
      Duration drawn = playOut(p, new SplittableRandom(seeds.nextLong()));
      assertThat(drawn)
          .isBetween(backoff.shortestSpan(p.maxAttempts()), backoff.longestSpan(p.maxAttempts()));
    }
  }

  @Test
  void aLongerRetryAfterWinsUpToItsCap() {
    DeliveryProperties p = bind(Map.of());
    Backoff backoff = Backoff.of(p, extreme(true));
    assertThat(backoff.after(1, Optional.of(Duration.ofMinutes(5))))
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(backoff.after(1, Optional.of(Duration.ofDays(2)))).isEqualTo(Duration.ofHours(1));
  }
}
