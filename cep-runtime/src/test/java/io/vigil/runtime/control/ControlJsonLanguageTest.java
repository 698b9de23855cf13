package io.vigil.runtime.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ControlJsonLanguageTest {

  @Test
  void anUpsertWithoutALanguageIsInThePatternLanguage() throws Exception {
    RuleCommand command =
        ControlJson.read(
            "r", "{\"type\":\"UPSERT_RULE\",\"ruleId\":\"r\",\"version\":1,\"source\":\"x\"}", 5);
    assertThat(((RuleCommand.UpsertRule) command).language()).isEqualTo(RuleCommand.Language.VGL);
  }

  @Test
  void aPatternLanguageUpsertIsWrittenWithoutALanguageField() {
    String json = ControlJson.write(new RuleCommand.UpsertRule("r", 1, "x", 0, false));
    assertThat(json).doesNotContain("language");
  }

  @Test
  void aDrlUpsertRoundTripsWithItsLanguage() throws Exception {
    RuleCommand.UpsertRule drl =
        new RuleCommand.UpsertRule("r", 2, "rule", 7, true, RuleCommand.Language.DRL);
    String json = ControlJson.write(drl);
    assertThat(json).contains("\"language\":\"drl\"");
    assertThat(ControlJson.read("r", json, 0)).isEqualTo(drl);
  }

  @Test
  void anUnknownLanguageIsAnInvalidCommand() {
    assertThatThrownBy(
            () ->
                ControlJson.read(
                    "r",
                    "{\"type\":\"UPSERT_RULE\",\"ruleId\":\"r\",\"version\":1,\"source\":\"x\","
                        + "\"language\":\"dmn\"}",
                    0))
        .isInstanceOf(ControlJson.InvalidCommandException.class)
        .hasMessageContaining("unknown language 'dmn'");
  }

  @Test
  void aChangedActivationKeepsTheLanguage() {
    RuleCommand.UpsertRule drl =
        new RuleCommand.UpsertRule("r", 2, "rule", 7, true, RuleCommand.Language.DRL);
    assertThat(drl.withActiveFrom(9))
        .isEqualTo(new RuleCommand.UpsertRule("r", 2, "rule", 9, true, RuleCommand.Language.DRL));
  }
}
