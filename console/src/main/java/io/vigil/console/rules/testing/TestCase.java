package io.vigil.console.rules.testing;

import java.time.Instant;
import java.util.List;

/**
 * Events saved with a rule and the alerts the rule must raise on them, as {@link
 * TestRunResult#signatures()}: every deploy runs it again and a difference blocks the deploy.
 */
public record TestCase(
    String name, String events, List<String> expected, String author, Instant savedAt) {
  /** What a case name may be: it is part of the case's delete URL and of the test file. */
  public static final String NAME_RULE =
      "A test case name is 1 to 80 letters, digits, spaces, _ . -";

  private static final java.util.regex.Pattern NAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9 _.-]{1,80}");

  public TestCase {
    expected = List.copyOf(expected);
  }

  public static boolean validName(String name) {
    return NAME.matcher(name).matches() && !name.isBlank();
  }
}
