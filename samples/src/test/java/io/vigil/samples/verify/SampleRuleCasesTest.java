package io.vigil.samples.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.runtime.cli.VigilMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The sample packs' rule test cases ({@code <rule>.tests.yaml}) pass through {@code vigil verify},
 * the way an analyst or CI runs them: every rule has cases, and every case passes.
 */
class SampleRuleCasesTest {

  private static List<Path> rules(String pack) throws Exception {
    try (Stream<Path> files = Files.list(Path.of(pack))) {
      return files.filter(p -> p.toString().endsWith(".vgl")).sorted().toList();
    }
  }

  @Test
  void everySampleRuleHasTestCasesBesideIt() throws Exception {
    for (String pack : List.of("fraud", "iot")) {
      assertThat(rules(pack)).isNotEmpty();
      for (Path rule : rules(pack)) {
        assertThat(
                rule.resolveSibling(rule.getFileName().toString().replace(".vgl", ".tests.yaml")))
            .as("test cases of " + rule)
            .isRegularFile();
      }
    }
  }

  @Test
  void everyCaseOfTheFraudAndIotPacksPasses() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = VigilMain.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));

    int status = cli.execute("verify", "--rules", "streams.vgl,fraud,iot");

    assertThat(status).as(out + "\n" + err).isZero();
    assertThat(out.toString())
        .doesNotContain("FAIL")
        .contains("PASS  three tiny charges then a large one in the same currency (1 alert)")
        .contains("PASS  a fault never fixed times out (1 alert)")
        .containsPattern("\\d+ cases in 9 files: \\d+ passed, 0 failed");
  }
}
