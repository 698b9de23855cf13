package io.vigil.alert.delivery.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMailUtil;
import io.vigil.alert.Alerts;
import io.vigil.alert.RealInfrastructure;
import io.vigil.alert.ServiceTestSupport;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmailDeliveryTest extends ServiceTestSupport {

  private List<MimeMessage> mailTo(String address) {
    return Arrays.stream(RealInfrastructure.get().mail.getReceivedMessages())
        .filter(m -> GreenMailUtil.getAddressList(safeRecipients(m)).contains(address))
        .toList();
  }

  private static jakarta.mail.Address[] safeRecipients(MimeMessage m) {
    try {
      return m.getAllRecipients();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first leaf part of the given type anywhere in the MIME tree. */
  private static String part(jakarta.mail.Part part, String type) throws Exception {
    if (part.getContent() instanceof Multipart multipart) {
      for (int i = 0; i < multipart.getCount(); i++) {
        String found = part(multipart.getBodyPart(i), type);
        if (found != null) {
          return found;
        }
      }
      return null;
    }
    return part.isMimeType(type) ? (String) part.getContent() : null;
  }

  @Test
  void anAlertBecomesOneMailWithAnHtmlAndATextPart() throws Exception {
    String rule = Alerts.uniqueRule("mail_one");
    String to = rule + "@example.org";
    String subscription =
        subscribe(
            """
            {"name":"oncall","type":"email","to":["%s"],"match":{"ruleIds":["%s"]}}
            """
                .formatted(to, rule));
    String id = Alerts.newId();
    publish("k", Alerts.simple(id, rule));

    await().atMost(Duration.ofSeconds(30)).until(() -> mailTo(to).size() == 1);
    MimeMessage mail = mailTo(to).get(0);
    assertThat(mail.getSubject()).isEqualTo("[vigil] HIGH: Card testing on " + rule);
    String text = part(mail, "text/plain");
    String html = part(mail, "text/html");
    assertThat(text).contains("Alert id: " + id).contains("Key:      cardId=c-1");
    assertThat(html).contains("<td>" + id + "</td>").contains("5 small payments in 2 minutes");
    // Derived from (subscription, alert) only, as documented, so a re-sent mail is recognisable.
    String expected =
        "<"
            + HexFormat.of()
                .formatHex(
                    MessageDigest.getInstance("SHA-256")
                        .digest((subscription + "\n" + id).getBytes(StandardCharsets.UTF_8)))
            + "@vigil-alert-service>";
    assertThat(mail.getMessageID()).isEqualTo(expected);
  }

  @Test
  void aDigestTurnsABurstIntoOneMail() throws Exception {
    String rule = Alerts.uniqueRule("mail_digest");
    String to = rule + "@example.org";
    subscribe(
        """
        {"name":"digest","type":"email","to":["%s"],"match":{"ruleIds":["%s"]},
         "grouping":{"by":"all","window":"PT2S"}}
        """
            .formatted(to, rule));
    List<String> ids =
        List.of(Alerts.newId(), Alerts.newId(), Alerts.newId(), Alerts.newId(), Alerts.newId());
    ids.forEach(id -> publish("k", Alerts.simple(id, rule)));

    await().atMost(Duration.ofSeconds(30)).until(() -> mailTo(to).size() == 1);
    Thread.sleep(2500); // a second mail would come one window later
    assertThat(mailTo(to)).hasSize(1);
    MimeMessage mail = mailTo(to).get(0);
    assertThat(mail.getSubject()).isEqualTo("[vigil] 5 alerts");
    String body = GreenMailUtil.getBody(mail);
    for (String id : ids) {
      assertThat(body).contains(id);
    }
  }
}
