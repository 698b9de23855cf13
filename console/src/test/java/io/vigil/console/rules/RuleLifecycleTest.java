package io.vigil.console.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.console.ConsoleMvc;
import io.vigil.console.ConsoleTestSupport;
import io.vigil.console.rules.review.ReviewException;
import io.vigil.console.rules.review.Reviews;
import io.vigil.console.security.Role;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.context.WebApplicationContext;

/** Writing, checking, versioning and reviewing a rule through the pages, as each role. */
public class RuleLifecycleTest extends ConsoleTestSupport {

  public static String rule(String id, String threshold) {
    return """
        rule %s
          title "Two large payments"
          severity high
          tags fraud, test
          owner fraud_team
          partition by cardId
          pattern
            first: payments(amount > %s)
            then second: payments(amount > %s)
          within 5m
          alert "Card {cardId}: two large payments"
        """
        .formatted(id, threshold, threshold);
  }

  @Autowired WebApplicationContext context;
  @Autowired Reviews reviews;
  ConsoleMvc analyst;
  ConsoleMvc analyst2;
  ConsoleMvc admin;
  ConsoleMvc viewer;

  @BeforeEach
  void users() {
    analyst = ConsoleMvc.as(context, "analyst", Role.ANALYST);
    analyst2 = ConsoleMvc.as(context, "analyst2", Role.ANALYST);
    admin = ConsoleMvc.as(context, "admin", Role.ADMIN);
    viewer = ConsoleMvc.as(context, "viewer", Role.VIEWER);
  }

  @Test
  void theLiveCheckShowsAnErrorAtLineAndColumnWithItsHint() throws Exception {
    String broken = rule("live_check", "100").replace("amount > 100)", "amout > 100)");
    MockHttpServletResponse response = analyst.post("/rules/check", Map.of("source", broken));
    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(response.getContentAsString())
        .contains("8:21")
        .contains("amout")
        .contains("hint:")
        .contains("rule.vgl:8:21: error:");
    MockHttpServletResponse fixed =
        analyst.post("/rules/check", Map.of("source", rule("live_check", "100")));
    assertThat(fixed.getContentAsString()).contains("No errors");
  }

  @Test
  void explainShowsTheFlinkPatternAndTheMatchRecognizeStatement() throws Exception {
    String html =
        analyst
            .post("/rules/explain", Map.of("source", rule("explained", "100")))
            .getContentAsString();
    assertThat(html).contains("Flink Pattern").contains("MATCH_RECOGNIZE");
  }

  @Test
  void everySaveIsAVersionWithItsAuthorAndADiffAgainstThePreviousOne() throws Exception {
    MockHttpServletResponse created =
        analyst.post("/rules", Map.of("source", rule("versioned", "100"), "comment", "first cut"));
    assertThat(created.getRedirectedUrl()).isEqualTo("/rules/versioned");
    analyst2.post(
        "/rules/versioned", Map.of("source", rule("versioned", "250"), "comment", "higher"));
    String page = viewer.get("/rules/versioned").getContentAsString();
    assertThat(page).contains("v2").contains("analyst2").contains("higher").contains("first cut");
    String diff = viewer.get("/rules/versioned/versions/2").getContentAsString();
    assertThat(diff).contains("diff-del").contains("amount &gt; 100").contains("amount &gt; 250");
  }

  @Test
  void theListShowsMetadataFromTheSourceAndFiltersBySearchAndSeverity() throws Exception {
    analyst.post("/rules", Map.of("source", rule("listed_rule", "100")));
    String all = viewer.get("/rules").getContentAsString();
    assertThat(all).contains("listed_rule").contains("Two large payments").contains("fraud_team");
    assertThat(viewer.get("/rules?q=listed_rule").getContentAsString()).contains("listed_rule");
    assertThat(viewer.get("/rules?q=zzz_nothing").getContentAsString())
        .doesNotContain("listed_rule");
    assertThat(viewer.get("/rules?severity=low").getContentAsString())
        .doesNotContain("listed_rule");
  }

  @Test
  void aSourceThatRenamesTheRuleIsNotSavedAsItsVersion() throws Exception {
    analyst.post("/rules", Map.of("source", rule("fixed_name", "100")));
    String html =
        analyst
            .post("/rules/fixed_name", Map.of("source", rule("other_name", "100")))
            .getContentAsString();
    assertThat(html).contains("the name cannot change");
  }

  @Test
  void anAnalystProposesAndADifferentAdminApproves() throws Exception {
    analyst.post("/rules", Map.of("source", rule("reviewed", "100")));
    analyst.post("/rules/reviewed/propose", Map.of("version", "1"));
    assertThat(viewer.get("/rules/reviewed").getContentAsString()).contains("proposed v1");
    assertThat(analyst2.post("/rules/reviewed/approve", Map.of("version", "1")).getStatus())
        .isEqualTo(403);
    admin.post("/rules/reviewed/approve", Map.of("version", "1"));
    assertThat(viewer.get("/rules/reviewed").getContentAsString()).contains("approved v1");
  }

  @Test
  void nobodyApprovesTheirOwnChange() throws Exception {
    admin.post("/rules", Map.of("source", rule("own_change", "100")));
    admin.post("/rules/own_change/propose", Map.of("version", "1"));
    admin.post("/rules/own_change/approve", Map.of("version", "1"));
    assertThat(viewer.get("/rules/own_change").getContentAsString()).contains("proposed v1");
    assertThatThrownBy(() -> reviews.approve("own_change", 1, "admin"))
        .isInstanceOf(ReviewException.class)
        .hasMessageContaining("nobody approves their own change");
    analyst.post("/rules/own_change/propose", Map.of("version", "1"));
    assertThatThrownBy(() -> reviews.approve("own_change", 1, "admin"))
        .hasMessageContaining("nobody approves their own change");
  }

  @Test
  void anAdminSeesEveryChangeInTheAuditLogAndAViewerDoesNot() throws Exception {
    analyst.post("/rules", Map.of("source", rule("audited", "100")));
    String log = admin.get("/audit").getContentAsString();
    assertThat(log).contains("save v1").contains("audited").contains("analyst");
    assertThat(viewer.get("/audit").getStatus()).isEqualTo(403);
  }
}
