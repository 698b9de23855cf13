package io.vigil.console;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole console, as {@link ConsoleTestSupport}, talking to the real alert service ({@link
 * RealAlertService}) on the same Redis and Kafka. Every test class extending this shares one
 * context (and the one alert service), so tests use their own names and rule ids.
 */
public abstract class AlertServiceTestSupport extends ConsoleTestSupport {

  @DynamicPropertySource
  static void alertService(DynamicPropertyRegistry registry) {
    registry.add("vigil.console.alert-service.url", () -> RealAlertService.get().url());
    registry.add("vigil.console.alert-service.token", () -> RealAlertService.get().token());
  }
}
