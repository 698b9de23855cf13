package io.vigil.runtime.rules;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code within} of each member of a {@link RuleFamily}, in member order. The family's NFA runs
 * with the longest; a member takes only the matches its own NFA would hold ({@link #fits}).
 */
public final class MemberWindows {

  private final long[] windows;
  private final long longest;
  private final boolean differ;

  /**
   * @param windows the members' windows, in member order
   * @param longest the family NFA's window: the longest, as the compiler's family works it out
   */
  MemberWindows(List<Duration> windows, Duration longest) {
    this.windows = windows.stream().mapToLong(Duration::toMillis).toArray();
    this.longest = longest.toMillis();
    this.differ = Arrays.stream(this.windows).anyMatch(w -> w != this.longest);
  }

  /**
   * Whether a match of the family's NFA from {@code first} to {@code last} (event times) is one the
   * {@code index}th member's own NFA would give: its last event is less than the member's window
   * after its first (the NFA drops a partial match before an event a window or more after its
   * first).
   */
  public boolean fits(int index, long first, long last) {
    return last - first < windows[index];
  }

  /** The {@code index}th member's window in ms. */
  public long of(int index) {
    return windows[index];
  }

  /** The family NFA's window in ms. */
  public long longest() {
    return longest;
  }

  /** Whether the members' windows differ (else each is {@link #longest}). */
  public boolean differ() {
    return differ;
  }
}
