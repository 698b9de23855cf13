package io.vigil.runtime.cli;

import io.vigil.compiler.cli.CheckedSources;
import io.vigil.compiler.cli.RuleFiles;
import io.vigil.compiler.rule.Compilation;
import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.runtime.control.RuleSources;
import io.vigil.runtime.verify.CaseCluster;
import io.vigil.runtime.verify.CaseResult;
import io.vigil.runtime.verify.RuleTestFile;
import io.vigil.runtime.verify.RuleTestRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil verify}: runs the test cases written beside rules ({@code <rule>.tests.yaml} next to
 * {@code <rule>.vgl}) through the real engine and reports like a test runner.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Run the rules' test cases through the real engine (the bounded replay of `vigil run`);"
          + " report each case, with a diff of expected and actual alerts.",
      "",
      "A test file <rule>.tests.yaml beside <rule>.vgl (or <rule>.drl) tests the rules of that"
          + " file:",
      "  cases:",
      "    - name: three tiny charges then a large one",
      "      events: |            # JSON Lines, replayed in order",
      "        {\"stream\":\"payments\",\"event\":{...}}",
      "      expected: |          # one alert per line: KIND {key} message",
      "        MATCH {cardId=c1} Card c1: 3 tiny charges then 899.00 EUR at TechHub",
      "    - name: no alert without the large charge",
      "      events: |",
      "        ...",
      "      expected: []",
      "",
      "Every stream declared under --rules is known; only the tested file's rules run."
          + " A dead letter or late event in a case's input fails the case.",
      "Exit status: 0 every case passed, 1 a case failed or a rule has an error, 2 usage error."
    })
public final class VerifyCommand implements Callable<Integer> {

  @Option(
      names = "--rules",
      split = ",",
      defaultValue = ".",
      paramLabel = "FILE|DIR",
      description =
          "Rule and stream files, or directories searched for *.vgl and *.drl; compiled together"
              + " (repeatable or comma-separated; default: the current directory).")
  List<Path> rules;

  @Parameters(
      arity = "0..*",
      paramLabel = "FILE|DIR",
      description =
          "Test files, or directories searched for *"
              + RuleTestFile.SUFFIX
              + " (default: those under the --rules directories and beside the --rules files).")
  List<Path> tests;

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<SourceFile> sources;
    List<Path> testFiles;
    try {
      sources = RuleFiles.readWithDecisions(rules);
      boolean explicit = tests != null && !tests.isEmpty();
      testFiles = testFiles(explicit ? tests : rules, explicit);
    } catch (UncheckedIOException e) {
      err.println("vigil verify: " + e.getMessage());
      return 2;
    }
    if (testFiles.isEmpty()) {
      err.println(
          "vigil verify: no *"
              + RuleTestFile.SUFFIX
              + " files in "
              + listed(tests == null || tests.isEmpty() ? rules : tests));
      return 2;
    }
    Compilation compilation = CheckedSources.compile(sources).compilation();
    compilation.diagnostics().forEach(d -> err.print(d.render()));
    err.flush();
    if (compilation.hasErrors()) {
      return 1;
    }
    List<RuleTestFile> files = new ArrayList<>();
    List<SourceFile> ruleSources = new ArrayList<>();
    for (Path path : testFiles) {
      try {
        RuleTestFile file = RuleTestFile.read(path);
        SourceFile ruleSource = ruleSourceOf(file, sources);
        files.add(file);
        ruleSources.add(ruleSource);
      } catch (RuleTestFile.InvalidTestFileException e) {
        err.println("vigil verify: " + e.getMessage());
        return 2;
      }
    }
    VerifyReport report = new VerifyReport(out);
    try (CaseCluster cluster = CaseCluster.start()) {
      RuleTestRunner runner = new RuleTestRunner(sources, cluster::environment);
      for (int i = 0; i < files.size(); i++) {
        RuleTestFile file = files.get(i);
        List<CaseResult> results = runner.run(file, ruleSources.get(i));
        report.file(file.path(), RuleTestRunner.ruleIds(ruleSources.get(i)), results);
      }
    } catch (RuleSources.SyntaxException e) {
      err.println("vigil verify: " + e.getMessage());
      return 1;
    }
    report.summary();
    out.flush();
    return report.failed() == 0 ? 0 : 1;
  }

  private static String listed(List<Path> paths) {
    return paths.stream().map(Path::toString).toList().toString();
  }

  /** The compiled source of the test file's .vgl file, which must be among the rules. */
  private static SourceFile ruleSourceOf(RuleTestFile file, List<SourceFile> sources)
      throws RuleTestFile.InvalidTestFileException {
    Path wanted = file.ruleFile().toAbsolutePath().normalize();
    for (SourceFile source : sources) {
      if (Path.of(source.name()).toAbsolutePath().normalize().equals(wanted)) {
        return source;
      }
    }
    throw new RuleTestFile.InvalidTestFileException(
        file.path()
            + ": tests the rules of "
            + file.ruleFile()
            + ", which is not among --rules"
            + (Files.isRegularFile(file.ruleFile()) ? "" : " (no such file)"));
  }

  /**
   * The test files in {@code paths}: directories walked for them; a file named on the command line
   * is one; a rule file under {@code --rules} brings the test file beside it, if any.
   */
  private static List<Path> testFiles(List<Path> paths, boolean explicit) {
    List<Path> out = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        try (Stream<Path> walk = Files.walk(path)) {
          walk.filter(p -> Files.isRegularFile(p) && p.toString().endsWith(RuleTestFile.SUFFIX))
              .sorted()
              .forEach(out::add);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + path, e);
        }
      } else if (Files.isRegularFile(path)) {
        Path besideRule =
            path.resolveSibling(
                path.getFileName().toString().replaceFirst("\\.(vgl|drl)$", RuleTestFile.SUFFIX));
        if (explicit || path.toString().endsWith(RuleTestFile.SUFFIX)) {
          out.add(path);
        } else if (path.toString().matches(".*\\.(vgl|drl)$") && Files.isRegularFile(besideRule)) {
          out.add(besideRule);
        }
      } else {
        throw new UncheckedIOException(new IOException("no such file: " + path));
      }
    }
    return out;
  }
}
