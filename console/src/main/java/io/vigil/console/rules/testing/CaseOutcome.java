package io.vigil.console.rules.testing;

import java.util.List;

/** A saved test case run against a rule version: what was expected and what came. */
public record CaseOutcome(
    String name, boolean passed, List<String> expected, List<String> actual, String problem) {}
