package io.vigil.console.rules.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.console.ConsoleMvc;
import io.vigil.console.ConsoleTestSupport;
import io.vigil.console.security.Role;
import io.vigil.console.streams.StreamDeclarations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.context.WebApplicationContext;

/** Test runs through the real engine on the console's warm cluster, and saved test cases. */
class TestRunTest extends ConsoleTestSupport {

  static final Path SAMPLES = Path.of(System.getProperty("vigil.samples.dir"));

  @Autowired WebApplicationContext context;
  @Autowired TestRunner runner;
  @Autowired TestCases cases;
  @Autowired StreamDeclarations streams;
  ConsoleMvc analyst;

  @BeforeEach
  void users() {
    analyst = ConsoleMvc.as(context, "analyst", Role.ANALYST);
  }

  static String sample(String path) throws Exception {
    return Files.readString(SAMPLES.resolve(path));
  }

  @Test
  void aSampleRuleOnTheBundledSampleEventsRaisesAlertsWithTheMatchedEventsPerStage()
      throws Exception {
    String html =
        analyst
            .post(
                "/rules/test",
                Map.of("source", sample("fraud/card_testing.vgl"), "sample", "fraud.jsonl"))
            .getContentAsString();
    assertThat(html).contains("alert(s) from 754 events").contains("Matched events per stage");
    assertThat(html)
        .contains("tiny charges then")
        .contains("<dt>tiny</dt>")
        .contains("<dt>big</dt>");
  }

  @Test
  void pastedEventsAreRunToo() throws Exception {
    String events =
        """
        {"stream":"readings","event":{"eventId":"r1","deviceId":"d1","site":"s","temperature":95.0,"vibration":0.1,"ts":"2026-11-25T09:00:00Z"}}
        {"stream":"readings","event":{"eventId":"r2","deviceId":"d1","site":"s","temperature":20.0,"vibration":0.1,"ts":"2026-11-25T09:00:01Z"}}
        """;
    String rule =
        """
        rule pasted_hot
          severity low
          partition by deviceId
          pattern
            hot: readings(temperature > 90)
          alert "hot {deviceId}"
        """;
    TestRunResult result = runner.run(streams.sources(), rule, events);
    assertThat(result.signatures()).containsExactly("MATCH {deviceId=d1} hot d1");
  }

  @Test
  void aRuleWithErrorsIsNotRun() throws Exception {
    String html =
        analyst
            .post(
                "/rules/test",
                Map.of(
                    "source",
                    "rule broken\n  pattern\n    a: nowhere(x > 1)\n",
                    "sample",
                    "fraud.jsonl"))
            .getContentAsString();
    assertThat(html).contains("Fix the rule&#39;s errors first");
  }

  @Test
  void aSavedTestCasePassesOnItsVersionAndFailsWhenTheRuleChangesWhatItRaises() throws Exception {
    String rule = sample("fraud/card_testing.vgl").replace("rule card_testing", "rule cased");
    analyst.post("/rules", Map.of("source", rule));
    analyst.post(
        "/rules/cased/tests",
        Map.of("name", "fraud sample", "events", sample("events/fraud.jsonl")));
    List<TestCase> saved = cases.of("cased");
    assertThat(saved).singleElement().satisfies(c -> assertThat(c.expected()).isNotEmpty());
    assertThat(cases.runAll("cased", streams.sources(), rule))
        .singleElement()
        .satisfies(o -> assertThat(o.passed()).isTrue());
    String stricter = rule.replace("amount >= 500", "amount >= 50000");
    assertThat(cases.runAll("cased", streams.sources(), stricter))
        .singleElement()
        .satisfies(o -> assertThat(o.passed()).isFalse());
  }
}
