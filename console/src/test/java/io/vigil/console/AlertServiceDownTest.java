package io.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.console.security.Role;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.context.WebApplicationContext;

/** In the shared test context nothing listens at the alert service's address. */
class AlertServiceDownTest extends ConsoleTestSupport {
  @Autowired WebApplicationContext context;

  @Test
  void pagesOfTheAlertServiceSayItDidNotAnswerAndShowNoStackTrace() throws Exception {
    ConsoleMvc admin = ConsoleMvc.as(context, "admin", Role.ADMIN);
    for (String path :
        new String[] {"/subscriptions", "/silences", "/deliveries/parked", "/subscriptions/x"}) {
      MockHttpServletResponse page = admin.get(path);
      assertThat(page.getStatus()).as(path).isEqualTo(502);
      assertThat(page.getContentAsString())
          .as(path)
          .contains("did not answer", "vigil.console.alert-service.url")
          .doesNotContain("Exception", "at io.vigil");
    }
  }

  @Test
  void aFormPostedWhileTheAlertServiceIsDownIsShownAgainWithTheReason() throws Exception {
    ConsoleMvc admin = ConsoleMvc.as(context, "admin", Role.ADMIN);
    MockHttpServletResponse page =
        admin.post(
            "/subscriptions",
            Map.of("name", "n", "type", "webhook", "url", "https://example.org/hook"));
    assertThat(page.getStatus()).isEqualTo(200);
    assertThat(page.getContentAsString()).contains("did not answer").contains("value=\"n\"");
  }

  @Test
  void aTestSendWhileTheAlertServiceIsDownAnswersWithTheReasonInTheFragment() throws Exception {
    ConsoleMvc admin = ConsoleMvc.as(context, "admin", Role.ADMIN);
    String fragment = admin.post("/subscriptions/x/test", Map.of()).getContentAsString();
    assertThat(fragment).contains("did not answer");
  }
}
