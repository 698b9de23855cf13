package io.vigil.dsl.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.testing.samples.SampleFiles;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sample rule packs in samples/ are the rules of the issue, exactly as written. */
public class SampleRulesTest {

  public static List<SourceFile> samples() {
    return SampleFiles.ruleFiles().stream().map(f -> new SourceFile(f.name(), f.text())).toList();
  }

  @Test
  void everySampleRuleChecksWithoutDiagnostics() {
    CheckResult result = Checker.check(samples());

    assertThat(result.render()).isEmpty();
    assertThat(result.program().streams())
        .containsOnlyKeys("payments", "logins", "readings", "maintenance");
    assertThat(result.program().rules())
        .extracting(CheckedRule::id)
        .containsExactlyInAnyOrder(
            "card_testing",
            "account_takeover",
            "impossible_travel",
            "split_purchases",
            "overheating_unattended",
            "device_silent",
            "repair_overdue",
            "vibration_burst",
            "flapping_sensor");
  }

  @Test
  void aRuleReadingTwoStreamsKnowsBothAndItsKeyInEach() {
    CheckedRule takeover =
        Checker.check(samples()).program().rule("account_takeover").orElseThrow();

    assertThat(takeover.streams()).extracting(s -> s.name()).containsExactly("logins", "payments");
    assertThat(takeover.partitionBy())
        .singleElement()
        .satisfies(
            k -> {
              assertThat(k.path()).isEqualTo("accountId");
              assertThat(k.indexIn("logins")).isEqualTo(1);
              assertThat(k.indexIn("payments")).isEqualTo(2);
            });
  }
}
