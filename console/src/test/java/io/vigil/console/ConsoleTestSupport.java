package io.vigil.console;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole console on a real Redis and a real Kafka broker. Every test class extending this shares
 * one Spring context, so tests use their own rule ids.
 */
@SpringBootTest
@ActiveProfiles("test")
public abstract class ConsoleTestSupport {

  @DynamicPropertySource
  static void redis(DynamicPropertyRegistry registry) {
    registry.add("spring.data.redis.host", () -> "127.0.0.1");
    registry.add("spring.data.redis.port", () -> RealRedis.get().port);
    registry.add("vigil.console.kafka.bootstrap-servers", () -> RealKafka.get().servers());
  }
}
