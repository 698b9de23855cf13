package io.vigil.console;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** A wrong option stops the console at start-up and names the option. */
class ConfigurationValidationTest {

  private static void start(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "--server.port=0";
    all[1] = "--spring.data.redis.port=" + RealRedis.get().port;
    all[2] = "--vigil.console.kafka.bootstrap-servers=" + RealKafka.get().servers();
    System.arraycopy(args, 0, all, 3, args.length);
    new SpringApplicationBuilder(ConsoleApplication.class).profiles("test").run(all).close();
  }

  private static String rootMessage(Throwable t) {
    StringBuilder all = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      all.append(c.getMessage()).append('\n');
    }
    return all.toString();
  }

  @Test
  void aPasswordThatIsNotABcryptHashIsRefused() {
    assertThatThrownBy(() -> start("--vigil.console.security.users[0].password-hash=secret"))
        .satisfies(
            e ->
                org.assertj.core.api.Assertions.assertThat(rootMessage(e))
                    .contains("vigil.console.security")
                    .contains("users[0].passwordHash"));
  }

  @Test
  void aLoginThrottleOfZeroFailuresIsRefused() {
    assertThatThrownBy(() -> start("--vigil.console.security.login-throttle.max-failures=0"))
        .satisfies(
            e ->
                org.assertj.core.api.Assertions.assertThat(rootMessage(e))
                    .contains("loginThrottle.maxFailures"));
  }

  @Test
  void aMetricsEndpointThatIsNotHttpIsRefused() {
    assertThatThrownBy(() -> start("--vigil.console.job-metrics.endpoints=ftp://tm:9249/metrics"))
        .satisfies(
            e ->
                org.assertj.core.api.Assertions.assertThat(rootMessage(e))
                    .contains("vigil.console.job-metrics.endpoints"));
  }

  @Test
  void aTopicMaximumAboveTheEventMaximumIsRefused() {
    assertThatThrownBy(
            () ->
                start(
                    "--vigil.console.test-run.max-events=100",
                    "--vigil.console.test-run.topic-max-events=200"))
        .satisfies(
            e ->
                org.assertj.core.api.Assertions.assertThat(rootMessage(e))
                    .contains("vigil.console.test-run.topic-max-events"));
  }

  @Test
  void bootstrapServersAmongTheKafkaClientSettingsAreRefused() {
    assertThatThrownBy(() -> start("--vigil.console.kafka.properties.bootstrap.servers=other:9092"))
        .satisfies(
            e ->
                org.assertj.core.api.Assertions.assertThat(rootMessage(e))
                    .contains("vigil.console.kafka.bootstrap-servers instead"));
  }
}
