package io.vigil.console.rules.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.console.ConsoleMvc;
import io.vigil.console.ConsoleTestSupport;
import io.vigil.console.PlayedEvents;
import io.vigil.console.rules.deploy.KafkaProperties;
import io.vigil.console.security.Role;
import io.vigil.console.streams.StreamDeclarations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.context.WebApplicationContext;

/**
 * Test runs on the last N minutes of a stream's topic: the console reads the real broker by
 * timestamp and runs what it read through the same engine as the other sources.
 */
class TopicTestRunTest extends ConsoleTestSupport {

  static final String RULE =
      """
      rule login_burst
        severity high
        partition by accountId
        pattern
          a: logins(success == false)
          then b: logins(success == false)
        within 5m
        alert "Failed twice: {accountId}"
      """;

  @Autowired WebApplicationContext context;
  @Autowired KafkaProperties kafka;
  @Autowired TestRunProperties properties;
  @Autowired StreamDeclarations streams;
  ConsoleMvc analyst;

  @BeforeEach
  void users() {
    analyst = ConsoleMvc.as(context, "analyst", Role.ANALYST);
  }

  static String login(String id, String account, Instant at) {
    return """
        {"eventId":"%s","accountId":"%s","country":"FR","success":false,"ts":"%s"}"""
        .formatted(id, account, at);
  }

  /** Two failed logins of {@code account}, sent with record times {@code at} and 1 s later. */
  static void twoFailures(PlayedEvents events, String account, Instant at) {
    events.send("logins", account, login(account + "-1", account, at), at);
    events.send(
        "logins", account, login(account + "-2", account, at.plusSeconds(1)), at.plusSeconds(1));
  }

  @Test
  void onlyTheEventsOfTheLastMinutesAreRunAndTheirAlertsShown() throws Exception {
    String old = "old-" + UUID.randomUUID();
    String recent = "recent-" + UUID.randomUUID();
    Instant now = Instant.now();
    try (PlayedEvents events = new PlayedEvents()) {
      twoFailures(events, old, now.minus(Duration.ofMinutes(40)));
      twoFailures(events, recent, now.minus(Duration.ofMinutes(2)));
    }

    String html =
        analyst
            .post("/rules/test", Map.of("source", RULE, "topicStream", "logins", "minutes", "10"))
            .getContentAsString();
    assertThat(html).contains("read from the topic since").contains("Failed twice: " + recent);
    assertThat(html).doesNotContain(old);

    String wider =
        analyst
            .post("/rules/test", Map.of("source", RULE, "topicStream", "logins", "minutes", "60"))
            .getContentAsString();
    assertThat(wider).contains("Failed twice: " + recent).contains("Failed twice: " + old);
  }

  @Test
  void aReadStopsAtTheConfiguredMaximumKeepingTheOldestEvents() {
    String account = "capped-" + UUID.randomUUID();
    Instant start = Instant.now().minusSeconds(30);
    try (PlayedEvents events = new PlayedEvents()) {
      for (int i = 0; i < 5; i++) {
        Instant at = start.plusMillis(i);
        events.send("logins", account, login(account + "-" + i, account, at), at);
      }
    }
    // The same reader with a maximum of 3 events, from just before the five.
    TestRunProperties three =
        new TestRunProperties(
            properties.maxEvents(),
            properties.timeout(),
            1,
            1,
            properties.samplesDir(),
            false,
            3,
            60);
    Clock justBefore =
        Clock.fixed(start.minusMillis(1).plus(Duration.ofMinutes(1)), java.time.ZoneOffset.UTC);
    TopicEvents.Read read = new TopicEvents(kafka, three, streams, justBefore).read("logins", 1);

    assertThat(read.events()).isEqualTo(3);
    assertThat(read.truncated()).isTrue();
    assertThat(read.lines().lines())
        .hasSize(3)
        .allMatch(l -> l.startsWith("{\"stream\":\"logins\",\"event\":{"));
    assertThat(read.lines()).contains(account + "-0").contains(account + "-2");
    assertThat(read.lines()).doesNotContain(account + "-3").doesNotContain(account + "-4");
  }

  @Test
  void aRecordWrittenLaterWithAnOlderTimestampIsNotOfTheRange() {
    String account = "late-written-" + UUID.randomUUID();
    Instant now = Instant.now();
    try (PlayedEvents events = new PlayedEvents()) {
      events.send("logins", account, login(account + "-new", account, now), now);
      Instant old = now.minus(Duration.ofMinutes(40));
      events.send("logins", account, login(account + "-old", account, old), old);
    }
    TopicEvents.Read read =
        new TopicEvents(kafka, properties, streams, Clock.systemUTC()).read("logins", 10);
    assertThat(read.lines()).contains(account + "-new").doesNotContain(account + "-old");
  }

  @Test
  void onlyDeclaredStreamsAndRangesWithinTheLimitAreRead() throws Exception {
    TopicEvents topics = new TopicEvents(kafka, properties, streams, Clock.systemUTC());
    assertThatThrownBy(() -> topics.read("vigil.rules", 5))
        .isInstanceOf(TestRunException.class)
        .hasMessageContaining("no declared stream");
    assertThatThrownBy(() -> topics.read("logins", properties.topicMaxMinutes() + 1))
        .isInstanceOf(TestRunException.class)
        .hasMessageContaining("1 to " + properties.topicMaxMinutes() + " minutes");
    assertThat(
            analyst
                .post("/rules/test", Map.of("source", RULE, "topicStream", "nope", "minutes", "5"))
                .getContentAsString())
        .contains("no declared stream named nope");
  }
}
