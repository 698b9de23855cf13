package io.vigil.console.alertservice;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;

/**
 * How a subscription batches alerts: {@code none}, {@code rule} (one notification per rule and
 * window) or {@code all} (a digest of the window).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Grouping(String by, Duration window) {
  public static final Grouping NONE = new Grouping("none", Duration.ZERO);

  public Grouping {
    by = by == null ? "none" : by;
    window = window == null ? Duration.ZERO : window;
  }
}
