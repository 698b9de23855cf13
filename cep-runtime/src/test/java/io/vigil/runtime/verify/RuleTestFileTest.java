package io.vigil.runtime.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
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
}
