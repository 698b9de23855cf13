package io.vigil.alert.ingest;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

@Configuration(proxyBeanMethods = false)
class IngestConfiguration {
  /**
   * Retries a failing batch for ever (exponential pauses up to the configured maximum) instead of
   * the default "10 tries then skip", which would lose alerts. The listener is a batch listener and
   * throws plain exceptions, so Spring Kafka re-delivers the whole batch to it (its fallback batch
   * handler) until it succeeds; the backoff never ends, so the recoverer is never reached.
   * Malformed records never get here: the listener dead-letters them itself.
   */
  @Bean
  DefaultErrorHandler alertErrorHandler(IngestProperties properties) {
    ExponentialBackOff backOff =
        new ExponentialBackOff(properties.retryInitialInterval().toMillis(), 2.0);
    backOff.setMaxInterval(properties.retryMaxInterval().toMillis());
    backOff.setMaxElapsedTime(Long.MAX_VALUE);
    DefaultErrorHandler handler = new DefaultErrorHandler(backOff);
    handler.setCommitRecovered(false);
    return handler;
  }
}
