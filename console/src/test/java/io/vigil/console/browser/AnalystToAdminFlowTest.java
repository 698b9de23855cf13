package io.vigil.console.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.console.JobAlerts;
import io.vigil.console.PlayedEvents;
import io.vigil.console.RealAlertService;
import io.vigil.console.RealKafka;
import io.vigil.console.RealRedis;
import io.vigil.console.RunningJob;
import io.vigil.console.rules.RuleVersions;
import io.vigil.console.rules.review.Reviews;
import io.vigil.runtime.alert.Alert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The main flow in real headless Chromium against the console on real Redis and Kafka, a running
 * Vigil job and the real alert service: an analyst writes a rule with an error, sees it highlighted
 * and underlined with its hint, completes a field name from the list, fixes it, tests it on the
 * sample events, proposes it; an admin approves and deploys it and the page follows the job until
 * the rule is active on every subtask; events played on Kafka give the rule's alerts; a second
 * version changes them; the admin rolls back in the page and the same events give the first
 * version's alerts again; an alert the job raises reaches the real alert service and appears live
 * on the open alerts page. With {@code -Dvigil.screenshots=true} the README's screenshots are
 * written to docs/images.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class AnalystToAdminFlowTest {

  static final Path SAMPLES = Path.of(System.getProperty("vigil.samples.dir"));

  @LocalServerPort int port;
  @Autowired RuleVersions ruleVersions;
  @Autowired Reviews reviews;
  static Browser browser;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    registry.add("spring.data.redis.host", () -> "127.0.0.1");
    registry.add("spring.data.redis.port", () -> RealRedis.get().port);
    registry.add("vigil.console.kafka.bootstrap-servers", () -> RealKafka.get().servers());
    registry.add("vigil.console.kafka.refresh-interval", () -> "1s");
    registry.add("vigil.console.job-metrics.endpoints", () -> RunningJob.get().metricsEndpoint());
    registry.add("vigil.console.job-metrics.cache-for", () -> "0s");
    registry.add("vigil.console.alert-service.url", () -> RealAlertService.get().url());
    registry.add("vigil.console.alert-service.token", () -> RealAlertService.get().token());
  }

  @BeforeAll
  static void job() {
    RunningJob.get();
  }

  @AfterAll
  static void closeBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  static final String RULE = "browser_card_testing";

  /** Three tiny approved charges and a large one on {@code card}, from {@code at}. */
  static void cardTesting(PlayedEvents events, String card, String amount, Instant at) {
    for (int i = 0; i < 4; i++) {
      String json =
          """
          {"eventId":"%s-%d","cardId":"%s","accountId":"acct-%s","amount":%s,"currency":"EUR",          "merchant":"Shop","country":"FR","status":"APPROVED","channel":"WEB","ts":"%s"}"""
              .formatted(card, i, card, card, i < 3 ? "1.00" : amount, at.plusSeconds(i));
      events.send("payments", card, json, at.plusSeconds(i));
    }
    // A payment of another card two minutes later moves the stream's event time past them.
    Instant later = at.plus(Duration.ofMinutes(2));
    events.send(
        "payments",
        "barrier",
        """
        {"eventId":"barrier-%s","cardId":"barrier","accountId":"acct-b","amount":5.00,        "currency":"EUR","merchant":"Shop","country":"FR","status":"APPROVED","channel":"WEB",        "ts":"%s"}"""
            .formatted(card, later),
        later);
  }

  static Predicate<Alert> of(String card) {
    return a -> a.ruleId().equals(RULE) && a.key().containsValue(card);
  }

  private void waitForRollout(long controlVersion) {
    browser.waitForText(
        "#rollout", "control version " + controlVersion + ")", Duration.ofSeconds(30));
    browser.waitFor("#rollout-complete", Duration.ofSeconds(120));
  }

  /**
   * A DRL rule set, saved and proposed by the analyst (through the store, to spare a sign-in), is
   * approved and deployed by the admin in the page and followed to every subtask.
   */
  private void deployDecisionRuleSet() throws java.io.IOException {
    String drl =
        """
        // vigil: streams payments
        // vigil: partition by cardId
        package browser.flow;

        rule "very large payment"
        when
          $p : payments( amount >= 100000 )
        then
          alerts.raise("Very large payment").severity("high");
        end
        """;
    ruleVersions.save("browser_drl", drl, "analyst", "a DRL rule set");
    reviews.propose("browser_drl", 1, "analyst", "");
    browser.open("/rules/browser_drl");
    assertThat(browser.find("#rule-language").getText()).isEqualTo("DRL rule set (Drools)");
    // A test file imported from the page (a multipart form) becomes a case the deploy runs.
    Path cases = Files.createTempDirectory("vigil-flow").resolve("browser_drl.tests.yaml");
    Files.writeString(
        cases,
        """
        cases:
          - name: a very large payment
            events: |
              {"stream":"payments","event":{"eventId":"p1","cardId":"c1","accountId":"a1","amount":200000.00,"currency":"EUR","merchant":"M","country":"FR","status":"APPROVED","channel":"WEB","ts":"2026-01-05T10:00:00Z"}}
            expected: ["MATCH {cardId=c1} Very large payment"]
        """);
    browser.find("#import-file").sendKeys(cases.toString());
    browser.find("#import-cases").click();
    browser.waitForText(".notice", "Imported 1 test case(s)", Duration.ofSeconds(20));
    browser.find("#approve").click();
    browser.waitForText("#review-state", "approved v1", Duration.ofSeconds(20));
    browser.find("#deploy").click();
    browser.waitFor("#rollout-complete", Duration.ofSeconds(120));
    assertThat(browser.find("#rollout-summary").getText())
        .contains("active on " + RunningJob.PARALLELISM + "/" + RunningJob.PARALLELISM);
    browser.open("/rules/" + RULE);
  }

  private void type(WebElement editor, String text) {
    editor.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
    editor.sendKeys(text);
  }

  @Test
  void anAnalystWritesTestsAndProposesARuleAndAnAdminDeploysItChangesItAndRollsItBack()
      throws Exception {
    // "localhost": Chromium keeps Secure session cookies on http://localhost.
    browser = new Browser("http://localhost:" + port);
    String good =
        Files.readString(SAMPLES.resolve("fraud/card_testing.vgl"))
            .replace("rule card_testing", "rule browser_card_testing");
    String broken = good.replace("amount < 2.00", "amout < 2.00");

    browser.signIn("analyst", "analyst-pass");
    browser.find("#new-rule").click();
    WebElement editor = browser.find("#source");
    type(editor, broken);
    browser.waitForText("#diagnostics", "hint:", Duration.ofSeconds(20));
    assertThat(browser.find("#diagnostics .finding .message").getText()).contains("amout");
    assertThat(browser.driver.findElements(By.cssSelector("#source-overlay mark"))).isNotEmpty();
    // Highlighted with the lexer's keywords and the declared streams' fields.
    assertThat(browser.find("#source-overlay .tok-keyword").getText()).isEqualTo("rule");
    assertThat(browser.driver.findElements(By.cssSelector("#source-overlay .tok-field")))
        .extracting(WebElement::getText)
        .contains("amount", "cardId");
    browser.screenshot("editor-diagnostic");
    // Completion from the keyboard: Ctrl+Space on "curr" inside payments(...) lists its fields.
    editor.sendKeys(Keys.chord(Keys.CONTROL, Keys.END), "\n# a comment on curr");
    editor.sendKeys(Keys.chord(Keys.CONTROL, Keys.SPACE));
    browser.waitForText("#source-completions", "currency", Duration.ofSeconds(10));
    assertThat(browser.find("#source").getAttribute("aria-expanded")).isEqualTo("true");
    editor.sendKeys(Keys.ENTER);
    assertThat(browser.find("#source").getDomProperty("value")).endsWith("on currency");
    assertThat(browser.find("#source").getAttribute("aria-expanded")).isEqualTo("false");

    type(editor, good);
    browser.waitForText("#diagnostics", "No errors", Duration.ofSeconds(20));
    browser.find("#explain-button").click();
    browser.waitForText("#explain", "MATCH_RECOGNIZE", Duration.ofSeconds(20));
    new Select(browser.find("#sample")).selectByValue("fraud.jsonl");
    browser.find("#run-test").click();
    browser.waitForText("#test-result", "alert(s) from 754 events", Duration.ofSeconds(120));
    assertThat(browser.find("#test-summary").getText()).doesNotStartWith("0 alert");
    assertThat(browser.find("#test-result").getText()).contains("tiny charges then");
    browser.driver.executeScript(
        "arguments[0].scrollIntoView({block: 'center'})", browser.find("#test-summary"));
    browser.screenshot("editor-test-run");

    browser.find("#comment").sendKeys("card testing for the browser flow");
    browser.find("#save").click();
    browser.find("#propose").click();
    browser.waitForText("#review-state", "proposed v1", Duration.ofSeconds(20));
    browser.signOut();

    browser.signIn("admin", "admin-pass");
    browser.open("/rules/browser_card_testing");
    browser.find("#approve").click();
    browser.waitForText("#review-state", "approved v1", Duration.ofSeconds(20));
    browser.find("#deploy").click();
    browser.waitFor("#rollout-complete", Duration.ofSeconds(120));
    assertThat(browser.find("#rollout-summary").getText())
        .contains("active on " + RunningJob.PARALLELISM + "/" + RunningJob.PARALLELISM);
    browser.screenshot("rule-deployed");
    deployDecisionRuleSet();

    // Events played on the job's topic: v1 alerts on a large charge of 900 after tiny ones. Each
    // round has its own span of event time, after every earlier one (the job's event time only
    // moves forward).
    Duration round = Duration.ofMinutes(3);
    try (PlayedEvents events = new PlayedEvents();
        JobAlerts alerts = new JobAlerts()) {
      cardTesting(events, "card-v1", "900.00", RunningJob.get().eventTimeSpan(round));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> alerts.matching(of("card-v1")), l -> l.size() == 1);
      assertThat(alerts.matching(of("card-v1")).get(0).message())
          .startsWith("Card card-v1: 3 tiny charges then 900");

      // v2 alerts only from 5000 and says so: written and proposed by the analyst, approved and
      // deployed by the admin.
      browser.signOut();
      browser.signIn("analyst", "analyst-pass");
      browser.open("/rules/" + RULE + "/edit");
      type(
          browser.find("#source"),
          good.replace("amount >= 500 ", "amount >= 5000 ")
              .replace("alert \"Card", "alert \"Big card"));
      browser.waitForText("#diagnostics", "No errors", Duration.ofSeconds(20));
      browser.find("#comment").sendKeys("only from 5000");
      browser.find("#save").click();
      browser.find("#propose").click();
      browser.waitForText("#review-state", "proposed v2", Duration.ofSeconds(20));
      browser.signOut();
      browser.signIn("admin", "admin-pass");
      browser.open("/rules/" + RULE);
      browser.find("#approve").click();
      browser.waitForText("#review-state", "approved v2", Duration.ofSeconds(20));
      browser.find("#deploy").click();
      waitForRollout(2);

      cardTesting(events, "card-v2-900", "900.00", RunningJob.get().eventTimeSpan(round));
      cardTesting(events, "card-v2-6000", "6000.00", RunningJob.get().eventTimeSpan(round));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> alerts.matching(of("card-v2-6000")), l -> l.size() == 1);
      assertThat(alerts.matching(of("card-v2-6000")).get(0).message()).startsWith("Big card");
      assertThat(alerts.matching(of("card-v2-900"))).as("900 is below v2's threshold").isEmpty();

      // Roll back in the page to what control version 1 ran: the old behaviour returns.
      browser.find("#rollback-1").click();
      waitForRollout(3);
      cardTesting(events, "card-rolled-back", "900.00", RunningJob.get().eventTimeSpan(round));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> alerts.matching(of("card-rolled-back")), l -> l.size() == 1);
      Alert back = alerts.matching(of("card-rolled-back")).get(0);
      assertThat(back.message()).startsWith("Card card-rolled-back: 3 tiny charges then 900");
      assertThat(back.ruleVersion()).isEqualTo(3);
    }
    // The rule's figures in the job, from its Prometheus reporter: the counters span versions.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              browser.open("/rules/" + RULE);
              var figure = browser.driver.findElements(By.id("figure-matches"));
              return figure.isEmpty() ? 0L : Long.parseLong(figure.get(0).getText());
            },
            matches -> matches >= 3);
    browser.screenshot("rule-rolled-back");

    browser.open("/rules");
    browser.waitForText("main table", "browser_card_testing", Duration.ofSeconds(20));
    browser.screenshot("rules-list");
    browser.open("/audit");
    browser.screenshot("audit-log");

    // An alert appears live, through the product's whole path: an event played on the stream's
    // topic, the running job, vigil.alerts, the real alert service (it stores the alert in Redis
    // and publishes it on vigil:alerts:live), the console's event stream to the open page.
    // The page already lists this rule's earlier alerts (and others' tests share the service):
    // only this card's alert is waited for.
    browser.open("/alerts?rule=" + RULE);
    new WebDriverWait(browser.driver, Duration.ofSeconds(20))
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#alert-rows[data-live='open']")));
    assertThat(browser.driver.findElement(By.id("alert-rows")).getText())
        .doesNotContain("card-live");
    try (PlayedEvents events = new PlayedEvents()) {
      cardTesting(events, "card-live", "900.00", RunningJob.get().eventTimeSpan(round));
    }
    browser.waitForText(
        "#alert-rows", "Card card-live: 3 tiny charges then 900", Duration.ofSeconds(90));
    assertThat(browser.driver.findElement(By.id("alert-rows")).getText()).contains(RULE + " v3");
    browser.screenshot("alerts-live");
    // The chart of alerts per rule is drawn by uPlot under the page's CSP.
    browser.open("/alerts?rule=browser_card_testing&range=1h");
    browser.waitFor("#alert-chart[data-drawn='true'] canvas", Duration.ofSeconds(20));
    assertThat(browser.find("#chart-totals").getText()).contains("browser_card_testing");
    browser.screenshot("alerts-chart");

    assertThat(browser.consoleMessages())
        .noneMatch(m -> m.contains("Content Security Policy") || m.contains("SEVERE"));
  }
}
