package io.vigil.console.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.console.RealKafka;
import io.vigil.console.RealRedis;
import io.vigil.console.RunningJob;
import io.vigil.console.alerts.StoredAlerts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The main flow in real headless Chromium against the console on real Redis and Kafka and a running
 * Vigil job: an analyst writes a rule with an error, sees it underlined with its hint, fixes it,
 * tests it on the sample events, proposes it; an admin approves and deploys it and the page follows
 * the job until the rule is active on every subtask. Screenshots go to docs/images.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class AnalystToAdminFlowTest {

  static final Path SAMPLES = Path.of(System.getProperty("vigil.samples.dir"));

  @LocalServerPort int port;
  @Autowired StringRedisTemplate redis;
  static Browser browser;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    registry.add("spring.data.redis.host", () -> "127.0.0.1");
    registry.add("spring.data.redis.port", () -> RealRedis.get().port);
    registry.add("vigil.console.kafka.bootstrap-servers", () -> RealKafka.get().servers());
    registry.add("vigil.console.kafka.refresh-interval", () -> "1s");
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

  private void type(WebElement editor, String text) {
    editor.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
    editor.sendKeys(text);
  }

  @Test
  void anAnalystWritesTestsAndProposesARuleAndAnAdminApprovesAndDeploysIt() throws Exception {
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
    browser.screenshot("editor-diagnostic");

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
    browser.open("/rules");
    browser.waitForText("main table", "browser_card_testing", Duration.ofSeconds(20));
    browser.screenshot("rules-list");
    browser.open("/audit");
    browser.screenshot("audit-log");

    // The alert service publishes each stored alert on Redis; the open alerts page shows it live.
    browser.open("/alerts?rule=browser_card_testing");
    browser.find("#no-alerts");
    Thread.sleep(1000); // the page's event stream connects after load
    var live =
        StoredAlerts.alert("live-1", "browser_card_testing", "high", "card-9", Instant.now());
    StoredAlerts.store(redis, live);
    StoredAlerts.publishLive(redis, live);
    browser.waitForText("#alert-rows", "Card card-9", Duration.ofSeconds(20));
    browser.screenshot("alerts-live");

    assertThat(browser.consoleMessages())
        .noneMatch(m -> m.contains("Content Security Policy") || m.contains("SEVERE"));
  }
}
