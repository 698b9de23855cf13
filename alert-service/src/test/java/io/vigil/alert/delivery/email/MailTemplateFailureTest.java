package io.vigil.alert.delivery.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMailUtil;
import io.vigil.alert.Alerts;
import io.vigil.alert.RealInfrastructure;
import io.vigil.alert.ScaledServiceTestSupport;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The scaled context's mail template does not render ({@code test-mail-templates/broken/}). */
class MailTemplateFailureTest extends ScaledServiceTestSupport {

  @Test
  void aMailThatDoesNotRenderCountsItsAttemptsAndIsParked() throws Exception {
    String rule = Alerts.uniqueRule("broken_mail");
    String to = rule + "@example.org";
    String subscription =
        subscribe(
            """
            {"name":"oncall","type":"email","to":["%s"],"match":{"ruleIds":["%s"]}}
            """
                .formatted(to, rule));
    publish("k", Alerts.simple(Alerts.newId(), rule));

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> parked(subscription).size() == 1);

    JsonNode delivery = parked(subscription).get(0);
    assertThat(delivery.get("attempts")).hasSize(8);
    for (JsonNode attempt : delivery.get("attempts")) {
      assertThat(attempt.get("error").asString()).startsWith("cannot render mail: ");
    }
    assertThat(delivery.get("parkNote").asString()).startsWith("cannot render mail: ");
    for (MimeMessage mail : RealInfrastructure.get().mail.getReceivedMessages()) {
      assertThat(GreenMailUtil.getAddressList(mail.getAllRecipients())).doesNotContain(to);
    }
  }
}
