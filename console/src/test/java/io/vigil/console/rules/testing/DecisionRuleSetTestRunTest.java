package io.vigil.console.rules.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.console.ConsoleMvc;
import io.vigil.console.ConsoleTestSupport;
import io.vigil.console.PlayedEvents;
import io.vigil.console.security.Role;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.context.WebApplicationContext;

/**
 * Test runs of DRL rule sets, stateless and stateful, through the same bounded replay as {@code
 * vigil run} on the console's warm cluster: on pasted events, an uploaded file and the last minutes
 * of a stream's topic.
 */
class DecisionRuleSetTestRunTest extends ConsoleTestSupport {

  static final String REPEATED_FAULT =
      """
      // vigil: streams maintenance
      // vigil: partition by deviceId
      // vigil: expire after 10m
      package console.repeat;

      rule "second fault within 10 minutes"
      when
        $a : maintenance( action == "FAULT" )
        $b : maintenance( action == "FAULT", this after[1ms,10m] $a )
      then
        alerts.raise("Repeated fault").message($a.getEventId() + " then " + $b.getEventId());
      end
      """;

  static final String FAULTS =
      """
      {"stream":"maintenance","event":{"eventId":"m1","deviceId":"d1","action":"FAULT","tech":"ann","ts":"2026-01-05T10:00:00Z"}}
      {"stream":"maintenance","event":{"eventId":"m2","deviceId":"d2","action":"FAULT","tech":"ann","ts":"2026-01-05T10:01:00Z"}}
      {"stream":"maintenance","event":{"eventId":"m3","deviceId":"d1","action":"FAULT","tech":"bob","ts":"2026-01-05T10:04:00Z"}}
      {"stream":"maintenance","event":{"eventId":"m4","deviceId":"d2","action":"FAULT","tech":"bob","ts":"2026-01-05T10:20:00Z"}}
      """;

  static final String HOT_READINGS =
      """
      // vigil: streams readings
      // vigil: partition by deviceId
      package console.hot;

      rule "hot"
      when
        $r : readings( temperature >= 90 )
      then
        alerts.raise("Hot").severity("high").message("Device " + $r.getDeviceId() + " is hot");
      end
      """;

  static final String HOT_TWICE =
      """
      // vigil: streams readings
      // vigil: partition by deviceId
      // vigil: expire after 10m
      package console.readings;

      rule "hot twice within 10 minutes"
      when
        $a : readings( temperature >= 90 )
        $b : readings( temperature >= 90, this after[1ms,10m] $a )
      then
        alerts.raise("Hot twice").message("Device " + $b.getDeviceId() + " hot twice");
      end
      """;

  @Autowired WebApplicationContext context;
  ConsoleMvc analyst;

  @BeforeEach
  void users() {
    analyst = ConsoleMvc.as(context, "analyst", Role.ANALYST);
  }

  @Test
  void aStatefulRuleSetRunsOnPastedEventsInItsPerKeySessions() throws Exception {
    String html =
        analyst
            .post("/rules/test", Map.of("source", REPEATED_FAULT, "events", FAULTS))
            .getContentAsString();
    assertThat(html).contains("1 alert(s) from 4 events").contains("m1 then m3");
    assertThat(html).doesNotContain("m2 then m4");
  }

  @Test
  void aSavedRuleSetRunsOnAnUploadedFileAndOffersToSaveTheEventsAsACase() throws Exception {
    analyst.post("/rules", Map.of("source", HOT_READINGS, "ruleSetId", "drl_uploaded"));
    String events =
        """
        {"stream":"readings","event":{"eventId":"r1","deviceId":"d7","site":"s","temperature":95.0,"vibration":0.1,"ts":"2026-11-25T09:00:00Z"}}
        {"stream":"readings","event":{"eventId":"r2","deviceId":"d8","site":"s","temperature":20.0,"vibration":0.1,"ts":"2026-11-25T09:00:01Z"}}
        """;
    String html =
        analyst
            .upload("/rules/drl_uploaded/test", "upload", "hot.jsonl", events, Map.of())
            .getResponse()
            .getContentAsString();
    assertThat(html)
        .contains("1 alert(s) from 2 events")
        .contains("Device d7 is hot")
        .contains("MATCH · key {deviceId=d7}")
        .contains("id=\"save-case\"");
  }

  @Test
  void aStatefulRuleSetRunsOnTheLastMinutesOfAStreamsTopic() throws Exception {
    String device = "drl-" + UUID.randomUUID();
    Instant at = Instant.now().minusSeconds(5);
    try (PlayedEvents events = new PlayedEvents()) {
      for (int i = 0; i < 2; i++) {
        Instant t = at.plusSeconds(i);
        events.send(
            "readings",
            device,
            """
            {"eventId":"%s-%d","deviceId":"%s","site":"s","temperature":95.0,"vibration":0.1,\
            "ts":"%s"}"""
                .formatted(device, i, device, t),
            t);
      }
    }
    String html =
        analyst
            .post(
                "/rules/test",
                Map.of("source", HOT_TWICE, "topicStream", "readings", "minutes", "10"))
            .getContentAsString();
    assertThat(html)
        .contains("read from the topic since")
        .contains("Device " + device + " hot twice");
  }
}
