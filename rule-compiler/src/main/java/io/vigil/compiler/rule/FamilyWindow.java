package io.vigil.compiler.rule;

import java.time.Duration;
import java.util.List;

/**
 * The window a family's shared NFA runs with: the longest of its members' (a member's own NFA gives
 * the shared NFA's matches that fit its window; see {@link FinalStageFamily} and {@link
 * ConditionFamily}).
 */
final class FamilyWindow {

  private FamilyWindow() {}

  static Duration longest(List<Duration> windows) {
    Duration longest = Duration.ZERO;
    for (Duration window : windows) {
      if (window.compareTo(longest) > 0) {
        longest = window;
      }
    }
    return longest;
  }
}
