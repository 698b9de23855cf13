package io.vigil.alert.delivery.webhook;

import io.vigil.alert.egress.UrlGuard;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One address policy for the whole service: subscriptions are checked with the sender's rules. */
@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {

  @Bean
  UrlGuard urlGuard(WebhookProperties properties) {
    return properties.urlGuard();
  }
}
