package io.vigil.runtime.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class RuleTestFileTest {

  private static final Path FILE = Path.of("rules", "card_testing.tests.yaml");

  @Test
  void casesReadFromBlockTextAndListsTestTheRuleFileBesideThem() throws Exception {
    RuleTestFile file =
        RuleTestFile.parse(
            FILE,
            """
            cases:
              - name: block text
                events: |
                  {"stream":"payments","event":{"cardId":"c1"}}
                  {"stream":"payments","event":{"cardId":"c2"}}
                expected: |
                  MATCH {cardId=c1} Card c1: two
                  MATCH {cardId=c0} Card c0: one
              - name: lists, as the console saves a case
                events:
                  - {"stream": "payments", "event": {"cardId": "c1"}}
                expected: ["TIMEOUT {cardId=c1} late: yes"]
                author: analyst
                savedAt: 2026-01-05T10:00:00Z
              - name: no alert
                events: |
                  {"stream":"payments","event":{"cardId":"c1"}}
                expected: []
            """);

    assertThat(file.ruleFile()).isEqualTo(Path.of("rules", "card_testing.vgl"));
    assertThat(file.cases())
        .extracting(RuleTestCase::name)
        .containsExactly("block text", "lists, as the console saves a case", "no alert");
    assertThat(file.cases().get(0).events().lines()).hasSize(2);
    assertThat(file.cases().get(0).expected())
        .containsExactly("MATCH {cardId=c0} Card c0: one", "MATCH {cardId=c1} Card c1: two");
    assertThat(file.cases().get(1).events())
        .isEqualTo("{\"stream\":\"payments\",\"event\":{\"cardId\":\"c1\"}}\n");
    assertThat(file.cases().get(1).expected()).containsExactly("TIMEOUT {cardId=c1} late: yes");
    assertThat(file.cases().get(2).expected()).isEmpty();
  }

  @Test
  void mistakesAreReportedWithTheFileAndTheCase() {
    assertThatThrownBy(() -> RuleTestFile.parse(FILE, "cases:\n  - name: a\n    events: x\n"))
        .hasMessage(FILE + ": case `a`: `expected` is missing (write `expected: []` for no alert)");
    assertThatThrownBy(
            () ->
                RuleTestFile.parse(
                    FILE,
                    "cases:\n  - name: a\n    events: x\n    expected:\n      - MATCH {k=1} a: b\n"))
        .hasMessageContaining("case `a`: an expected alert is a line `KIND {key} message`; quote");
    assertThatThrownBy(
            () -> RuleTestFile.parse(FILE, "cases:\n  - name: a\n    event: x\n    expected: []\n"))
        .hasMessage(FILE + ": case 1: unknown key `event` (name, events, expected)");
    assertThatThrownBy(
            () ->
                RuleTestFile.parse(
                    FILE,
                    "cases:\n  - {name: a, events: x, expected: []}\n"
                        + "  - {name: a, events: y, expected: []}\n"))
        .hasMessage(FILE + ": case 2: the name `a` is used twice");
    assertThatThrownBy(() -> RuleTestFile.parse(FILE, "tests: []\n"))
        .hasMessage(FILE + ": expected a mapping with a list `cases:`");
  }

  @Test
  void theDiffMergesExpectedAndActualInOrder() {
    CaseResult result =
        new CaseResult(
            "c",
            List.of("MATCH a", "MATCH b", "MATCH b"),
            List.of("MATCH b", "MATCH c"),
            List.of());

    assertThat(result.passed()).isFalse();
    assertThat(result.diff()).containsExactly("- MATCH a", "  MATCH b", "- MATCH b", "+ MATCH c");
    assertThat(new CaseResult("c", List.of("x"), List.of("x"), List.of()).passed()).isTrue();
    assertThat(new CaseResult("c", List.of(), List.of(), List.of("dead letter")).passed())
        .isFalse();
  }

  @Test
  void writtenCasesReadInTheDocumentedForm() throws Exception {
    String text =
        RuleTestFile.write(
            List.of(
                new RuleTestCase(
                    "three tiny charges",
                    "{\"stream\":\"payments\",\"event\":{\"cardId\":\"c1\"}}\n",
                    List.of("MATCH {cardId=c1} Card c1: 3 tiny charges")),
                new RuleTestCase("nothing", "{\"stream\":\"payments\",\"event\":{}}\n", List.of())),
            List.of("Test cases of card_testing"));

    assertThat(text)
        .startsWith("# Test cases of card_testing\ncases:\n")
        .contains("  events: |\n")
        .contains("\"MATCH {cardId=c1} Card c1: 3 tiny charges\"")
        .contains("expected: []");
    assertThat(RuleTestFile.parse(FILE, text).cases().get(0).name())
        .isEqualTo("three tiny charges");
  }

  @Test
  void aTestFileNamedOtherwiseTestsTheRuleFileOfItsNameWithoutExtension() {
    assertThat(RuleTestFile.ruleFileOf(Path.of("rules", "cases.yaml")))
        .isEqualTo(Path.of("rules", "cases.vgl"));
  }

  @Property(tries = 200)
  void whatIsWrittenReadsBackAsTheSameCases(@ForAll("cases") List<RuleTestCase> cases)
      throws Exception {
    assertThat(RuleTestFile.parse(FILE, RuleTestFile.write(cases, List.of("header"))).cases())
        .isEqualTo(cases);
  }

  @Provide
  Arbitrary<List<RuleTestCase>> cases() {
    // Text with what YAML treats specially: colons, quotes, hashes, indentation, blank and
    // trailing-space lines, missing or extra final newlines, non-ASCII.
    Arbitrary<String> line =
        Arbitraries.strings()
            .withChars("ab {}[]:#'\"-|>&*!%@`,=\t\\é€")
            .ofMinLength(1)
            .ofMaxLength(30)
            .filter(s -> !s.isBlank());
    Arbitrary<String> events =
        line.list()
            .ofMinSize(1)
            .ofMaxSize(4)
            .map(l -> String.join("\n", l))
            .flatMap(t -> Arbitraries.of("", "\n", "\n\n").map(t::concat));
    Arbitrary<List<String>> expected =
        line.map(String::strip).filter(s -> !s.isEmpty()).list().ofMaxSize(3);
    return Combinators.combine(line, events, expected)
        .as(RuleTestCase::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(3)
        .uniqueElements(RuleTestCase::name);
  }
}
