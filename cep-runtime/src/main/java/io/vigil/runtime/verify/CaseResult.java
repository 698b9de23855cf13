package io.vigil.runtime.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * A test case run through the engine.
 *
 * @param actual the alerts raised, as {@link AlertSignature}s, sorted
 * @param problems dead letters and late events of the case's input, and a failure to run at all;
 *     any problem fails the case (test events must decode, or a typo passes a "no alert" case)
 */
public record CaseResult(
    String name, List<String> expected, List<String> actual, List<String> problems) {

  public CaseResult {
    expected = List.copyOf(expected);
    actual = List.copyOf(actual);
    problems = List.copyOf(problems);
  }

  public boolean passed() {
    return problems.isEmpty() && expected.equals(actual);
  }

  /**
   * Expected and actual alerts merged in order as a diff: {@code " "} both, {@code "- "} expected
   * but not raised, {@code "+ "} raised but not expected. Equal lines count as often as they occur.
   */
  public List<String> diff() {
    List<String> out = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < expected.size() || j < actual.size()) {
      int order =
          i == expected.size()
              ? 1
              : j == actual.size() ? -1 : expected.get(i).compareTo(actual.get(j));
      if (order == 0) {
        out.add("  " + expected.get(i++));
        j++;
      } else if (order < 0) {
        out.add("- " + expected.get(i++));
      } else {
        out.add("+ " + actual.get(j++));
      }
    }
    return out;
  }
}
