package io.vigil.console.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.console.ConsoleMvc;
import io.vigil.console.ConsoleTestSupport;
import io.vigil.console.security.Role;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.context.WebApplicationContext;

/** The editor's check and explain routes take a DRL rule set (a source with its directives). */
public class DecisionRuleCheckTest extends ConsoleTestSupport {

  static final String DRL =
      """
      // vigil: streams payments
      // vigil: partition by cardId
      package fraud.console;

      rule "big payment"
      when
        $p : payments( amount > 500 )
      then
        alerts.raise("Big payment").severity("high");
      end
      """;

  @Autowired WebApplicationContext context;
  ConsoleMvc analyst;

  @BeforeEach
  void users() {
    analyst = ConsoleMvc.as(context, "analyst", Role.ANALYST);
  }

  @Test
  void theCheckOfADrlRuleSetShowsDroolsErrorsAtTheirPositionAndExplainWhatItBinds()
      throws Exception {
    String broken =
        analyst
            .post("/rules/check", Map.of("source", DRL.replace("amount > 500", "amout > 500")))
            .getContentAsString();
    assertThat(broken).contains("rule.drl:7:18: error:").contains("amout");
    assertThat(analyst.post("/rules/check", Map.of("source", DRL)).getContentAsString())
        .contains("No errors");
    assertThat(analyst.post("/rules/explain", Map.of("source", DRL)).getContentAsString())
        .contains("DRL rule set rule.drl")
        .contains("stateless: each event alone")
        .contains("&quot;big payment&quot;");
  }
}
