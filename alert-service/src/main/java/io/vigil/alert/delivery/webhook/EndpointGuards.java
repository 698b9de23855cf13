package io.vigil.alert.delivery.webhook;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.springframework.stereotype.Component;

/**
 * Per endpoint (scheme://host:port): a concurrency limit and a Resilience4j circuit breaker, so
 * that one slow or dead receiver cannot hold back the others.
 */
@Component
class EndpointGuards {
  private final Map<String, Semaphore> permits = new ConcurrentHashMap<>();
  private final CircuitBreakerRegistry breakers;
  private final int maxConcurrency;

  EndpointGuards(WebhookProperties properties) {
    this.maxConcurrency = properties.maxConcurrencyPerEndpoint();
    this.breakers =
        CircuitBreakerRegistry.of(
            CircuitBreakerConfig.custom()
                .failureRateThreshold(properties.circuitFailureRate())
                .minimumNumberOfCalls(properties.circuitMinimumCalls())
                .slidingWindowSize(Math.max(properties.circuitMinimumCalls(), 20))
                .waitDurationInOpenState(properties.circuitOpenDuration())
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
  }

  Semaphore permits(String endpoint) {
    return permits.computeIfAbsent(endpoint, e -> new Semaphore(maxConcurrency));
  }

  CircuitBreaker breaker(String endpoint) {
    return breakers.circuitBreaker(endpoint);
  }
}
