package io.vigil.console.rules.testing;

import io.vigil.console.rules.RuleVersions;
import io.vigil.console.rules.check.RuleCheck;
import io.vigil.runtime.source.EventLines;
import io.vigil.runtime.source.RawEvent;
import io.vigil.runtime.verify.RuleTestCase;
import io.vigil.runtime.verify.RuleTestFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/**
 * A rule's saved test cases as the {@code <rule>.tests.yaml} file {@code vigil verify} reads, both
 * ways: written and read by {@link RuleTestFile}, the reader of {@code vigil verify} itself, so a
 * case keeps its name, events and expected alerts (the same alert signatures) through an export and
 * an import.
 */
@Component
public class TestCaseFiles {

  /**
   * A test file that cannot be imported, with every reason found.
   *
   * @param problems one sentence each, naming the file and the case
   */
  public static final class InvalidImportException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public InvalidImportException(List<String> problems) {
      super(String.join("; ", problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }

  /** What an import stored: names of new cases and of cases it replaced (same name). */
  public record Imported(List<String> added, List<String> replaced) {}

  private final TestCases cases;
  private final RuleVersions versions;
  private final RuleCheck check;

  public TestCaseFiles(TestCases cases, RuleVersions versions, RuleCheck check) {
    this.cases = cases;
    this.versions = versions;
    this.check = check;
  }

  /** The name of a rule's test file: {@code vigil verify} finds it beside the rule's file. */
  public static String fileName(String ruleId) {
    return ruleId + RuleTestFile.SUFFIX;
  }

  /** Every saved case of the rule, as the text of its test file. */
  public String export(String ruleId) {
    List<RuleTestCase> saved =
        cases.of(ruleId).stream()
            .map(c -> new RuleTestCase(c.name(), c.events(), c.expected()))
            .toList();
    String ruleFile =
        ruleId
            + (versions
                    .latest(ruleId)
                    .map(v -> RuleCheck.isDecisionRuleSet(v.source()))
                    .orElse(false)
                ? ".drl"
                : ".vgl");
    return RuleTestFile.write(
        saved,
        List.of(
            "Test cases of " + ruleId + ", exported from the Vigil console.",
            "`vigil verify` runs them when this file sits beside " + ruleFile + "."));
  }

  /**
   * Reads a test file and stores its cases with the rule: a case with the name of a saved one
   * replaces it. Nothing is stored unless every case is valid.
   *
   * @param fileName the uploaded file's name, empty for pasted text; a {@code <rule>.tests.yaml} of
   *     another rule is refused
   * @throws InvalidImportException with every problem: not YAML, unknown fields, cases of another
   *     rule (by the file's name, or events of no stream the rule reads), names the console cannot
   *     keep, event lines that are not {@code {"stream":…,"event":{…}}}
   */
  public Imported importInto(String ruleId, String fileName, String text, String author) {
    // Browsers send a bare name; older ones a whole client path.
    String base = fileName.replaceFirst(".*[/\\\\]", "");
    String shown = base.isBlank() || base.indexOf('\0') >= 0 ? fileName(ruleId) : base;
    if (shown.endsWith(RuleTestFile.SUFFIX) && !shown.equals(fileName(ruleId))) {
      String other = shown.substring(0, shown.length() - RuleTestFile.SUFFIX.length());
      throw new InvalidImportException(
          List.of(
              shown
                  + " holds the test cases of rule "
                  + other
                  + ", not of "
                  + ruleId
                  + " (import it on that rule's page, or rename the file)"));
    }
    RuleTestFile file;
    try {
      file = RuleTestFile.parse(Path.of(shown), text);
    } catch (RuleTestFile.InvalidTestFileException e) {
      throw new InvalidImportException(List.of(e.getMessage()));
    }
    Set<String> read =
        new TreeSet<>(
            versions.latest(ruleId).map(v -> check.check(v.source()).streams()).orElse(List.of()));
    List<String> problems = new ArrayList<>();
    for (RuleTestCase c : file.cases()) {
      problems.addAll(problemsOf(shown, ruleId, c, read));
    }
    if (!problems.isEmpty()) {
      throw new InvalidImportException(problems);
    }
    Set<String> existing = new LinkedHashSet<>();
    cases.of(ruleId).forEach(c -> existing.add(c.name()));
    List<String> added = new ArrayList<>();
    List<String> replaced = new ArrayList<>();
    for (RuleTestCase c : file.cases()) {
      cases.save(ruleId, c.name(), c.events(), c.expected(), author);
      (existing.contains(c.name()) ? replaced : added).add(c.name());
    }
    return new Imported(added, replaced);
  }

  /**
   * @param read the streams the rule's latest version reads (empty when it does not compile: then
   *     no case is held to them)
   */
  private static List<String> problemsOf(
      String file, String ruleId, RuleTestCase c, Set<String> read) {
    String where = file + ": case `" + c.name() + "`: ";
    List<String> problems = new ArrayList<>();
    if (!TestCase.validName(c.name())) {
      problems.add(where + TestCase.NAME_RULE);
    }
    Set<String> streams = new TreeSet<>();
    List<String> lines = c.events().lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      RawEvent event = EventLines.parse(lines.get(i), file);
      if (event.stream().equals(EventLines.NO_STREAM)) {
        problems.add(
            where
                + "events line "
                + (i + 1)
                + " is not {\"stream\":\"<name>\",\"event\":{…}} on one line");
      } else {
        streams.add(event.stream());
      }
    }
    if (lines.stream().allMatch(String::isBlank)) {
      problems.add(where + "no events");
    } else if (!read.isEmpty()
        && !streams.isEmpty()
        && streams.stream().noneMatch(read::contains)) {
      problems.add(
          where
              + "its events are of "
              + String.join(", ", streams)
              + ", and "
              + ruleId
              + " reads "
              + String.join(", ", read)
              + ": are these the cases of another rule?");
    }
    return problems;
  }
}
