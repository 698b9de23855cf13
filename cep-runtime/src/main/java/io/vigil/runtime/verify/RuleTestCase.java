package io.vigil.runtime.verify;

import java.util.List;
import java.util.Objects;

/**
 * One test case of a rule: events and the alerts the rule must raise on them, in the form the
 * console saves a case in (its fields are the console's {@code name}, {@code events}, {@code
 * expected}).
 *
 * @param events JSON Lines, {@code {"stream":"<name>","event":{...}}} per line, replayed in order
 * @param expected the alerts, each as {@link AlertSignature}; empty means "no alert"
 */
public record RuleTestCase(String name, String events, List<String> expected) {
  public RuleTestCase {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(events, "events");
    expected = expected.stream().sorted().toList();
  }
}
