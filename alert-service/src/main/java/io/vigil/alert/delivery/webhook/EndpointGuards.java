package io.vigil.alert.delivery.webhook;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Component;

/**
 * Per endpoint (scheme://host:port): a concurrency limit and a Resilience4j circuit breaker, so
 * that one slow or dead receiver cannot hold back the others. While a circuit is open the sender
 * defers deliveries to the moment it lets a probe call through ({@link #untilProbe}), so that an
 * outage spends no attempts beyond the calls really made.
 */
@Component
class EndpointGuards {
  private final Map<String, Semaphore> permits = new ConcurrentHashMap<>();
  private final CircuitBreakerRegistry breakers;
  private final Map<String, Long> openedAt = new ConcurrentHashMap<>();
  private final int maxConcurrency;
  private final Duration openDuration;

  EndpointGuards(WebhookProperties properties) {
    this.maxConcurrency = properties.maxConcurrencyPerEndpoint();
    this.openDuration = properties.circuitOpenDuration();
    this.breakers =
        CircuitBreakerRegistry.of(
            CircuitBreakerConfig.custom()
                .failureRateThreshold(properties.circuitFailureRate())
                .minimumNumberOfCalls(properties.circuitMinimumCalls())
                .slidingWindowSize(Math.max(properties.circuitMinimumCalls(), 20))
                .waitDurationInOpenState(properties.circuitOpenDuration())
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
    breakers
        .getEventPublisher()
        .onEntryAdded(
            added -> {
              CircuitBreaker breaker = added.getAddedEntry();
              breaker
                  .getEventPublisher()
                  .onStateTransition(
                      e -> {
                        if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                          openedAt.put(breaker.getName(), System.nanoTime());
                        }
                      });
            });
  }

  /**
   * How long a delivery refused by the endpoint's circuit should wait: until the circuit lets its
   * probe call through, plus a little jitter so that the deferred deliveries do not all come due in
   * the same instant; a short pause while the probe is in flight (half-open).
   */
  Duration untilProbe(String endpoint) {
    long slice = Math.max(1, openDuration.toMillis() / 10);
    long jitter = ThreadLocalRandom.current().nextLong(slice);
    CircuitBreaker breaker = breaker(endpoint);
    Long opened = openedAt.get(endpoint);
    if (breaker.getState() != CircuitBreaker.State.OPEN || opened == null) {
      return Duration.ofMillis(slice + jitter);
    }
    long left = openDuration.toMillis() - (System.nanoTime() - opened) / 1_000_000;
    return Duration.ofMillis(Math.max(0, left) + jitter);
  }

  Semaphore permits(String endpoint) {
    return permits.computeIfAbsent(endpoint, e -> new Semaphore(maxConcurrency));
  }

  CircuitBreaker breaker(String endpoint) {
    return breakers.circuitBreaker(endpoint);
  }
}
