package io.vigil.console.rules.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.console.ConsoleMvc;
import io.vigil.console.ConsoleTestSupport;
import io.vigil.console.security.Role;
import io.vigil.runtime.cli.VigilMain;
import io.vigil.runtime.verify.RuleTestCase;
import io.vigil.runtime.verify.RuleTestFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.servlet.FlashMap;
import picocli.CommandLine;

/**
 * A rule's saved test cases leave the console as the {@code <rule>.tests.yaml} file {@code vigil
 * verify} runs, and come back in from such a file; a file that is not one, or is another rule's, is
 * refused with what is wrong.
 */
class TestCaseFileTest extends ConsoleTestSupport {

  static final Path SAMPLES = Path.of(System.getProperty("vigil.samples.dir"));

  @Autowired WebApplicationContext context;
  @Autowired TestCases cases;
  ConsoleMvc analyst;
  ConsoleMvc viewer;

  @BeforeEach
  void users() {
    analyst = ConsoleMvc.as(context, "analyst", Role.ANALYST);
    viewer = ConsoleMvc.as(context, "viewer", Role.VIEWER);
  }

  /** The sample rule card_testing under another id, and the events of its first sample cases. */
  private String createRule(String id) throws Exception {
    String source =
        Files.readString(SAMPLES.resolve("fraud/card_testing.vgl"))
            .replace("rule card_testing", "rule " + id);
    analyst.post("/rules", Map.of("source", source));
    return source;
  }

  private static List<RuleTestCase> sampleCases() throws Exception {
    return RuleTestFile.read(SAMPLES.resolve("fraud/card_testing.tests.yaml"))
        .cases()
        .subList(0, 2);
  }

  private FlashMap importFile(String id, String fileName, String text) throws Exception {
    return analyst
        .upload("/rules/" + id + "/tests/import", "file", fileName, text, Map.of())
        .getFlashMap();
  }

  private static List<List<Object>> fieldsOf(List<TestCase> saved) {
    return saved.stream().map(c -> List.<Object>of(c.name(), c.events(), c.expected())).toList();
  }

  @Test
  void exportedCasesPassVigilVerifyAndImportBackAsTheSameCases(@TempDir Path dir) throws Exception {
    String source = createRule("exported_cases");
    for (RuleTestCase c : sampleCases()) {
      analyst.post("/rules/exported_cases/tests", Map.of("name", c.name(), "events", c.events()));
    }
    List<TestCase> saved = cases.of("exported_cases");
    assertThat(saved).hasSize(2);
    assertThat(saved).anySatisfy(c -> assertThat(c.expected()).hasSize(1));
    assertThat(saved).anySatisfy(c -> assertThat(c.expected()).isEmpty());

    MockHttpServletResponse export = viewer.get("/rules/exported_cases/tests/export");
    assertThat(export.getHeader("Content-Disposition"))
        .contains("filename=\"exported_cases.tests.yaml\"");
    String yaml = export.getContentAsString();
    assertThat(yaml).startsWith("# Test cases of exported_cases").contains("cases:");

    // vigil verify, as a user runs it with the file beside the rule's.
    Files.copy(SAMPLES.resolve("streams.vgl"), dir.resolve("streams.vgl"));
    Files.writeString(dir.resolve("exported_cases.vgl"), source);
    Files.writeString(dir.resolve("exported_cases.tests.yaml"), yaml);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = VigilMain.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int status = cli.execute("verify", "--rules", dir.toString());
    assertThat(status).as(out + "\n" + err).isZero();
    assertThat(out.toString()).contains("2 cases in 1 file: 2 passed, 0 failed");

    saved.forEach(c -> cases.delete("exported_cases", c.name(), "analyst"));
    assertThat(cases.of("exported_cases")).isEmpty();
    FlashMap imported = importFile("exported_cases", "exported_cases.tests.yaml", yaml);
    assertThat(imported.get("notice")).isEqualTo("Imported 2 test case(s): 2 new, 0 replaced.");
    assertThat(fieldsOf(cases.of("exported_cases"))).isEqualTo(fieldsOf(saved));

    // Pasted text works the same; same names replace the saved cases.
    FlashMap again =
        analyst.postForFlash("/rules/exported_cases/tests/import", Map.of("text", yaml));
    assertThat(again.get("notice")).isEqualTo("Imported 2 test case(s): 0 new, 2 replaced.");
    assertThat(fieldsOf(cases.of("exported_cases"))).isEqualTo(fieldsOf(saved));
  }

  @Test
  void theExportedCasesOfADrlRuleSetPassVigilVerifyBesideItsDrlFile(@TempDir Path dir)
      throws Exception {
    analyst.post(
        "/rules",
        Map.of(
            "source",
            DecisionRuleSetTestRunTest.REPEATED_FAULT,
            "ruleSetId",
            "exported_decisions"));
    analyst.post(
        "/rules/exported_decisions/tests",
        Map.of("name", "two faults of d1", "events", DecisionRuleSetTestRunTest.FAULTS));
    assertThat(cases.of("exported_decisions"))
        .singleElement()
        .satisfies(c -> assertThat(c.expected()).containsExactly("MATCH {deviceId=d1} m1 then m3"));
    String yaml = viewer.get("/rules/exported_decisions/tests/export").getContentAsString();
    assertThat(yaml).contains("beside exported_decisions.drl");

    Files.copy(SAMPLES.resolve("streams.vgl"), dir.resolve("streams.vgl"));
    Files.writeString(
        dir.resolve("exported_decisions.drl"), DecisionRuleSetTestRunTest.REPEATED_FAULT);
    Files.writeString(dir.resolve("exported_decisions.tests.yaml"), yaml);
    StringWriter out = new StringWriter();
    CommandLine cli = VigilMain.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(new StringWriter()));
    assertThat(cli.execute("verify", "--rules", dir.toString())).as(out.toString()).isZero();
    assertThat(out.toString())
        .contains("PASS  two faults of d1 (1 alert)")
        .contains("1 case in 1 file: 1 passed, 0 failed");
  }

  @Test
  void aFileThatIsNotATestFileOrIsAnotherRulesIsRefusedWithWhatIsWrong() throws Exception {
    createRule("imported_cases");
    String payment = "{\"stream\":\"payments\",\"event\":{\"eventId\":\"p1\",\"cardId\":\"c1\"}}";
    String login = "{\"stream\":\"logins\",\"event\":{\"eventId\":\"l1\",\"accountId\":\"a\"}}";

    assertThat(problems(importFile("imported_cases", "imported_cases.tests.yaml", "cases: [")))
        .singleElement()
        .asString()
        .startsWith("imported_cases.tests.yaml: not YAML");
    assertThat(
            problems(
                importFile(
                    "imported_cases",
                    "imported_cases.tests.yaml",
                    """
                    cases:
                      - name: a
                        events: '%s'
                        expected: []
                        severity: high
                    """
                        .formatted(payment))))
        .singleElement()
        .asString()
        .contains("imported_cases.tests.yaml: case 1: unknown key `severity`");
    assertThat(
            problems(
                importFile(
                    "imported_cases",
                    "card_testing.tests.yaml",
                    "cases:\n  - name: a\n    events: '" + payment + "'\n    expected: []\n")))
        .singleElement()
        .asString()
        .isEqualTo(
            "card_testing.tests.yaml holds the test cases of rule card_testing, not of"
                + " imported_cases (import it on that rule's page, or rename the file)");
    assertThat(
            problems(
                importFile(
                    "imported_cases",
                    "cases.yaml",
                    """
                    cases:
                      - name: logins
                        events: '%s'
                        expected: []
                      - name: a/b
                        events: |
                          %s
                          not json
                        expected: []
                    """
                        .formatted(login, payment))))
        .containsExactly(
            "cases.yaml: case `logins`: its events are of logins, and imported_cases reads"
                + " payments: are these the cases of another rule?",
            "cases.yaml: case `a/b`: " + TestCase.NAME_RULE,
            "cases.yaml: case `a/b`: events line 2 is not"
                + " {\"stream\":\"<name>\",\"event\":{…}} on one line");
    assertThat(cases.of("imported_cases")).as("nothing imported").isEmpty();
    assertThat(analyst.postForFlash("/rules/imported_cases/tests/import", Map.of()).get("error"))
        .isEqualTo("Choose the imported_cases.tests.yaml file, or paste its text.");
  }

  @SuppressWarnings("unchecked")
  private static List<String> problems(FlashMap flash) {
    assertThat(flash.get("error")).asString().startsWith("Nothing imported");
    return (List<String>) flash.get("importProblems");
  }
}
