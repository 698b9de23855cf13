package io.vigil.alert.delivery;

import java.util.Locale;

/** What became of one (alert, subscription) pair. */
public enum AdmitResult {
  SCHEDULED,
  GROUPED,
  /** Its group was full ({@code vigil.limits.max-group-alerts}): counted, not sent. */
  DROPPED,
  THROTTLED,
  DUPLICATE;

  public static AdmitResult fromScript(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }

  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
