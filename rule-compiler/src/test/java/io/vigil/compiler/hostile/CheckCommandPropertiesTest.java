package io.vigil.compiler.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.compiler.cli.VigilCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random and deeply nested rule texts through {@code vigil check} as a user runs it: it always
 * answers with exit status 0 (valid) or 1 (diagnostics), never an exception or a hang (the hang
 * guard's bound is generous: this is not a speed test).
 */
class CheckCommandPropertiesTest {

  static final HostileRulesPropertiesTest GENERATORS = new HostileRulesPropertiesTest();
  static final Liveness LIVENESS = new Liveness();
  static final Path DIR = temporaryDirectory();

  @AfterContainer
  static void close() throws IOException {
    LIVENESS.close();
    try (var files = Files.list(DIR)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(DIR);
  }

  @Property(tries = 80)
  void checkAnswersEveryTextWithAStatusAndNoException(@ForAll("texts") String text)
      throws IOException {
    Path file = DIR.resolve("hostile.vgl");
    Files.writeString(file, text);

    HostileRulesTest.Run run =
        LIVENESS.finishes(
            "vigil check of " + text.length() + " characters",
            () -> {
              var cli = VigilCli.commandLine();
              StringWriter out = new StringWriter();
              StringWriter err = new StringWriter();
              cli.setOut(new PrintWriter(out));
              cli.setErr(new PrintWriter(err));
              int status = VigilCli.run(cli, "check", "../samples/streams.vgl", file.toString());
              return new HostileRulesTest.Run(status, out.toString(), err.toString());
            });

    assertThat(run.status()).as(run.err()).isIn(0, 1);
    assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
    if (run.status() == 1) {
      assertThat(run.err()).contains(file + ":");
    }
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.oneOf(
        GENERATORS.tokenSoup(), GENERATORS.deeplyNested(), GENERATORS.hugeLiterals());
  }

  private static Path temporaryDirectory() {
    try {
      return Files.createTempDirectory("vigil-check-properties");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
