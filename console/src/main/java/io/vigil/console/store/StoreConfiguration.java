package io.vigil.console.store;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The clock every stored time comes from (one place to replace it). */
@Configuration
class StoreConfiguration {
  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
