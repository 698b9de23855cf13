package io.vigil.dsl.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.dsl.diagnostic.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The sample rule packs in samples/ are the rules of the issue, exactly as written. */
public class SampleRulesTest {

  public static List<SourceFile> samples() throws IOException {
    Path root = Path.of("..", "samples");
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(p -> p.toString().endsWith(".vgl"))
          .sorted()
          .map(
              p -> {
                try {
                  return new SourceFile(root.relativize(p).toString(), Files.readString(p));
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .toList();
    }
  }

  @Test
  void everySampleRuleChecksWithoutDiagnostics() throws IOException {
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
  void aRuleReadingTwoStreamsKnowsBothAndItsKeyInEach() throws IOException {
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
