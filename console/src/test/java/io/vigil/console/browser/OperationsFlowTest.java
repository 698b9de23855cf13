package io.vigil.console.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.console.PlayedEvents;
import io.vigil.console.RealAlertService;
import io.vigil.console.RealKafka;
import io.vigil.console.RealRedis;
import io.vigil.console.streams.activity.StreamActivity;
import io.vigil.testing.webhook.WebhookReceiver;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An admin's operations flow in real headless Chromium against the console and the real alert
 * service: create a webhook subscription, send it a test alert and see the receiver's answer, then
 * see the test in the delivery history, create a silence (submitted from the keyboard) and expire
 * it after confirming; the streams page charts the event rates.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class OperationsFlowTest {

  @LocalServerPort int port;
  @Autowired StreamActivity activity;
  static Browser browser;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    registry.add("spring.data.redis.host", () -> "127.0.0.1");
    registry.add("spring.data.redis.port", () -> RealRedis.get().port);
    registry.add("vigil.console.kafka.bootstrap-servers", () -> RealKafka.get().servers());
    registry.add("vigil.console.alert-service.url", () -> RealAlertService.get().url());
    registry.add("vigil.console.alert-service.token", () -> RealAlertService.get().token());
  }

  @AfterAll
  static void closeBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void anAdminCreatesAWebhookTestsItsReceiverAndSilencesAndUnsilencesAlerts() throws Exception {
    String rule = "browser_ops_" + System.nanoTime();
    try (WebhookReceiver receiver = WebhookReceiver.unverified(200)) {
      // "localhost": Chromium keeps Secure session cookies on http://localhost.
      browser = new Browser("http://localhost:" + port);
      browser.signIn("admin", "admin-pass");

      browser.driver.findElement(By.linkText("Subscriptions")).click();
      browser.find("#new-subscription").click();
      browser.find("#name").sendKeys("Fraud desk webhook");
      browser.find("#url").sendKeys(receiver.url());
      browser.find("#rules").sendKeys(rule);
      browser.find("#tags").sendKeys("fraud");
      browser.find("#throttle").sendKeys("5m");
      browser.find("#save-subscription").click();

      browser.waitForText("main h1", "Fraud desk webhook", Duration.ofSeconds(20));
      assertThat(browser.find("#generated-secret").getText()).contains("shown only now");
      browser.find("#send-test").click();
      browser.waitForText("#test-result", "receiver answered HTTP 200", Duration.ofSeconds(30));
      assertThat(browser.find("#test-result").getText())
          .startsWith("Delivered")
          .containsPattern("in \\d+ ms");
      assertThat(receiver.bodies()).hasSize(1);
      browser.screenshot("subscription-test-alert");
      // The test send is in the delivery history, marked as a test.
      browser.driver.navigate().refresh();
      browser.waitFor("#history .badge-test", Duration.ofSeconds(20));
      assertThat(browser.find("#history tbody").getText()).contains("delivered", "test");

      browser.driver.findElement(By.linkText("Silences")).click();
      browser.find("#rules").sendKeys(rule);
      browser.find("#duration").sendKeys(Keys.chord(Keys.CONTROL, "a"), "2h");
      browser.find("#comment").sendKeys("receiver maintenance", Keys.ENTER);
      browser.waitForText("#silences", rule, Duration.ofSeconds(20));
      assertThat(browser.find("main .notice").getText()).contains("Silence created");

      browser
          .driver
          .findElement(By.xpath("//table[@id='silences']//tr[td[contains(., '" + rule + "')]]//a"))
          .click();
      browser.waitForText("main h1", "Expire this silence?", Duration.ofSeconds(20));
      browser.find("#confirm-expire").click();
      browser.waitForText("main .notice", "Silence expired", Duration.ofSeconds(20));
      assertThat(browser.driver.getPageSource()).doesNotContain(rule);

      // The streams page charts each stream's event rate (uPlot, under the page's CSP).
      try (PlayedEvents events = new PlayedEvents()) {
        events.send("ops_flow", "k", "{\"n\":1}", java.time.Instant.now());
        activity.sample();
        events.send("ops_flow", "k", "{\"n\":2}", java.time.Instant.now());
        activity.sample();
      }
      browser.driver.findElement(By.linkText("Streams")).click();
      browser.waitFor("#rate-chart[data-drawn='true'] canvas", Duration.ofSeconds(20));

      assertThat(browser.consoleMessages())
          .noneMatch(m -> m.contains("Content Security Policy") || m.contains("SEVERE"));
    }
  }
}
