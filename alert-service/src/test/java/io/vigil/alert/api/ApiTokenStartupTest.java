package io.vigil.alert.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vigil.alert.AlertServiceApplication;
import io.vigil.alert.RealInfrastructure;
import io.vigil.alert.ServiceTestSupport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real application refuses to start without a usable API token or secret key, and says which
 * option to set.
 */
class ApiTokenStartupTest {

  /** Starts the application with the given arguments and returns why it failed (or fails). */
  private static String startupFailure(String... extra) {
    RealInfrastructure infra = RealInfrastructure.get();
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + infra.bootstrapServers(),
                "--spring.kafka.consumer.group-id=startup-test",
                "--spring.data.redis.host=127.0.0.1",
                "--spring.data.redis.port=" + infra.redisPort,
                "--spring.mail.host=127.0.0.1",
                "--spring.mail.port=" + infra.mail.getSmtp().getPort(),
                "--vigil.ingest.topic=vigil.alerts.startup-test"));
    args.addAll(List.of(extra));
    Throwable failure =
        catchThrowable(
            () -> {
              ConfigurableApplicationContext context =
                  SpringApplication.run(AlertServiceApplication.class, args.toArray(String[]::new));
              context.close();
            });
    assertThat(failure).as("the application started").isNotNull();
    StringBuilder messages = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append('\n');
    }
    return messages.toString();
  }

  private static final String[] KEY = {
    "--vigil.secrets.active-key=" + ServiceTestSupport.SECRET_KEY_ID,
    "--vigil.secrets.keys." + ServiceTestSupport.SECRET_KEY_ID + "=" + ServiceTestSupport.SECRET_KEY
  };

  private static String[] with(String... args) {
    List<String> all = new ArrayList<>(List.of(KEY));
    all.addAll(List.of(args));
    return all.toArray(String[]::new);
  }

  @Test
  void aPlaceholderTokenStopsTheStartWithTheOptionsName() {
    assertThat(startupFailure(with("--vigil.api.token=please-change-me-before-production")))
        .contains("vigil.api.token looks like a placeholder", "VIGIL_API_TOKEN");
  }

  @Test
  void aMissingTokenStopsTheStartWithTheOptionsName() {
    assertThat(startupFailure(KEY)).contains("vigil.api.token is not set", "VIGIL_API_TOKEN");
  }

  @Test
  void aShortTokenStopsTheStart() {
    assertThat(startupFailure(with("--vigil.api.token=k3y-9f2c")))
        .contains("vigil.api.token is shorter than 16 characters");
  }

  @Test
  void aMissingSecretKeyStopsTheStartWithTheOptionsName() {
    assertThat(startupFailure("--vigil.api.token=" + ServiceTestSupport.TOKEN))
        .contains("vigil.secrets.active-key is not set", "VIGIL_SECRETS_KEYS_");
  }
}
