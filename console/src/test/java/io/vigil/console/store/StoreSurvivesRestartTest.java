package io.vigil.console.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.console.ConsoleApplication;
import io.vigil.console.RealKafka;
import io.vigil.console.RealRedis;
import io.vigil.console.audit.AuditLog;
import io.vigil.console.rules.RuleVersions;
import io.vigil.console.rules.review.Reviews;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Drafts, versions, reviews and the audit log are in Redis: a new console finds them there. */
class StoreSurvivesRestartTest {

  private static ConfigurableApplicationContext console() {
    return new SpringApplicationBuilder(ConsoleApplication.class)
        .profiles("test")
        .run(
            "--server.port=0",
            "--spring.data.redis.host=127.0.0.1",
            "--spring.data.redis.port=" + RealRedis.get().port,
            "--vigil.console.kafka.bootstrap-servers=" + RealKafka.get().servers());
  }

  @Test
  void versionsReviewsAndTheAuditLogSurviveAConsoleRestart() {
    String source =
        """
        rule survives_restart
          severity low
          partition by deviceId
          pattern
            r: readings(temperature > 90)
          alert "hot {deviceId}"
        """;
    try (ConfigurableApplicationContext first = console()) {
      first.getBean(RuleVersions.class).save("survives_restart", source, "analyst", "before");
      first.getBean(Reviews.class).propose("survives_restart", 1, "analyst", "please");
    }
    try (ConfigurableApplicationContext second = console()) {
      RuleVersions versions = second.getBean(RuleVersions.class);
      assertThat(versions.latest("survives_restart"))
          .hasValueSatisfying(
              v -> {
                assertThat(v.source()).isEqualTo(source);
                assertThat(v.author()).isEqualTo("analyst");
                assertThat(v.comment()).isEqualTo("before");
              });
      assertThat(second.getBean(Reviews.class).current("survives_restart"))
          .hasValueSatisfying(r -> assertThat(r.proposedBy()).isEqualTo("analyst"));
      assertThat(second.getBean(AuditLog.class).latest(100))
          .anySatisfy(e -> assertThat(e.target()).isEqualTo("survives_restart"));
    }
  }
}
