package io.vigil.console.subscriptions;

import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Durations as the forms read and write them: {@code 90s}, {@code 5m}, {@code 2h}, {@code 1d}
 * (pages: {@code ${@durations.text(duration)}}).
 */
@Component("durations")
public class Durations {

  public String text(Duration d) {
    return print(d);
  }

  /** The largest unit that divides the duration exactly; {@code 0s} for zero. */
  public static String print(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
    String[] units = {"d", "h", "m", "s"};
    for (int i = 0; i < sizes.length; i++) {
      if (ms % sizes[i] == 0) {
        return ms / sizes[i] + units[i];
      }
    }
    return ms + "ms";
  }
}
