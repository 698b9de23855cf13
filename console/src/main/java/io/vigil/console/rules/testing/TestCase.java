package io.vigil.console.rules.testing;

import java.time.Instant;
import java.util.List;

/**
 * Events saved with a rule and the alerts the rule must raise on them, as {@link
 * TestRunResult#signatures()}: every deploy runs it again and a difference blocks the deploy.
 */
public record TestCase(
    String name, String events, List<String> expected, String author, Instant savedAt) {
  public TestCase {
    expected = List.copyOf(expected);
  }
}
