package io.vigil.console.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.console.alertservice.Grouping;
import io.vigil.console.alertservice.Matcher;
import io.vigil.console.alertservice.Subscription;
import io.vigil.console.alertservice.SubscriptionRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;

class SubscriptionFormTest {

  @Test
  void durationsPrintInTheLargestExactUnitAndReadBackTheSame() {
    for (Duration d :
        List.of(
            Duration.ofSeconds(90),
            Duration.ofMinutes(5),
            Duration.ofHours(2),
            Duration.ofDays(1),
            Duration.ofMillis(1500))) {
      assertThat(DurationStyle.detectAndParse(Durations.print(d))).isEqualTo(d);
    }
    assertThat(Durations.print(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(Durations.print(Duration.ofSeconds(90))).isEqualTo("90s");
  }

  @Test
  void aStoredSubscriptionShownInTheFormGivesBackTheSameRequest() {
    Subscription stored =
        new Subscription(
            "id1",
            "fraud",
            "webhook",
            true,
            new Matcher(
                Set.of("a", "b"), Set.of("fraud"), Set.of("team-x"), Map.of("cardId", "c-1")),
            "high",
            "https://hooks.example.com/x",
            true,
            List.of(),
            new Grouping("rule", Duration.ofMinutes(1)),
            Duration.ofMinutes(5),
            Instant.EPOCH,
            Instant.EPOCH);
    List<String> problems = new ArrayList<>();

    SubscriptionRequest request = SubscriptionForm.of(stored).toRequest(problems);

    assertThat(problems).isEmpty();
    assertThat(request.match()).isEqualTo(stored.match());
    assertThat(request.grouping()).isEqualTo(stored.grouping());
    assertThat(request.throttle()).isEqualTo(stored.throttle());
    assertThat(request.minSeverity()).isEqualTo("high");
    assertThat(request.secret()).as("empty: the stored secret is kept").isEmpty();
  }

  @Test
  void anEmailFormSendsRecipientsAndNoUrlOrSecret() {
    SubscriptionForm form =
        new SubscriptionForm(
            "mail",
            "email",
            true,
            "http://ignored",
            "ignored-secret-123456",
            "a@x.org, b@x.org",
            "low",
            "",
            "",
            "",
            "",
            "",
            "none",
            "");
    List<String> problems = new ArrayList<>();

    SubscriptionRequest request = form.toRequest(problems);

    assertThat(problems).isEmpty();
    assertThat(request.to()).containsExactly("a@x.org", "b@x.org");
    assertThat(request.url()).isEmpty();
    assertThat(request.secret()).isEmpty();
  }

  @Test
  void groupingWithoutAWindowIsAProblem() {
    SubscriptionForm form =
        new SubscriptionForm(
            "g",
            "webhook",
            true,
            "https://x.example/h",
            "",
            "",
            "low",
            "",
            "",
            "",
            "",
            "",
            "all",
            "");
    List<String> problems = new ArrayList<>();

    form.toRequest(problems);

    assertThat(problems).containsExactly("Group window: grouping needs a window, e.g. 1m.");
  }
}
