package io.vigil.alert.ingest;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

@Configuration(proxyBeanMethods = false)
class IngestConfiguration {
  /**
   * Retries a failing record for ever (exponential pauses up to the configured maximum) instead of
   * the default "10 tries then skip", which would lose the alert. Malformed records never get here:
   * the listener dead-letters them itself.
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
