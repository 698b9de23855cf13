package io.vigil.alert;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service against real Kafka, Redis and SMTP. All service tests share one Spring context
 * (same configuration), so each test uses its own rule ids and subscriptions.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "vigil.api.token=" + ServiceTestSupport.TOKEN,
      "vigil.secrets.active-key=" + ServiceTestSupport.SECRET_KEY_ID,
      "vigil.secrets.keys."
          + ServiceTestSupport.SECRET_KEY_ID
          + "="
          + ServiceTestSupport.SECRET_KEY,
      "vigil.webhook.allowed-networks=127.0.0.0/8",
      "vigil.webhook.circuit-minimum-calls=1000",
      "vigil.delivery.initial-backoff=50ms",
      "vigil.delivery.max-backoff=200ms",
      "vigil.delivery.max-attempts=8",
      "vigil.delivery.poll-interval=20ms",
      "vigil.delivery.lease=10s",
      "spring.kafka.consumer.group-id=alert-service-test"
    })
public abstract class ServiceTestSupport extends RunningServiceSupport {
  public static final String TOKEN = "test-token-0123456789";

  /** The key that encrypts webhook secrets at rest in every test context and child process. */
  public static final String SECRET_KEY_ID = "test-1";

  public static final String SECRET_KEY = "K/VIrozlKOpXS5Y9UDLG6PjV0X3nmD9KGRpVS4iPiJc=";

  @Autowired protected StringRedisTemplate redis;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    RealInfrastructure.register(registry);
  }

  protected static void publish(String key, String value) {
    publishTo("vigil.alerts", key, value);
  }

  protected String webhook(String url, String secret, String matchJson, String extra) {
    return subscribe(
        """
        {"name":"hook","type":"webhook","url":"%s","secret":"%s","match":%s%s}
        """
            .formatted(url, secret, matchJson, extra.isEmpty() ? "" : "," + extra));
  }
}
