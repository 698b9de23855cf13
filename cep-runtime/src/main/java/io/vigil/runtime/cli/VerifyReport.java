package io.vigil.runtime.cli;

import io.vigil.runtime.verify.CaseResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** The test-runner output of {@code vigil verify}: per file and case, then a summary line. */
final class VerifyReport {

  private final PrintWriter out;
  private int files;
  private int passed;
  private int failed;

  VerifyReport(PrintWriter out) {
    this.out = out;
  }

  void file(Path path, Set<String> rules, List<CaseResult> results) {
    files++;
    out.println(path + " (" + String.join(", ", rules) + ")");
    for (CaseResult r : results) {
      if (r.passed()) {
        passed++;
        out.printf(
            "  PASS  %s (%s)%n",
            r.name(),
            r.actual().isEmpty()
                ? "no alert"
                : r.actual().size() + " alert" + (r.actual().size() == 1 ? "" : "s"));
        continue;
      }
      failed++;
      out.println("  FAIL  " + r.name());
      for (String problem : r.problems()) {
        out.println("        ! " + problem);
      }
      if (!r.expected().equals(r.actual())) {
        out.println("        expected (-) vs actual (+) alerts:");
        for (String line : r.diff()) {
          out.println("        " + line);
        }
        if (r.expected().isEmpty()) {
          out.println("        (no alert was expected)");
        }
        if (r.actual().isEmpty()) {
          out.println("        (no alert was raised)");
        }
      }
    }
    out.flush();
  }

  void summary() {
    out.printf(
        "%d case%s in %d file%s: %d passed, %d failed%n",
        passed + failed,
        passed + failed == 1 ? "" : "s",
        files,
        files == 1 ? "" : "s",
        passed,
        failed);
  }

  int failed() {
    return failed;
  }
}
