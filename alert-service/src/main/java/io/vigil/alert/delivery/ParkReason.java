package io.vigil.alert.delivery;

import java.util.Locale;

/** Why a delivery left the schedule without being delivered. */
public enum ParkReason {
  /** Every attempt of the schedule failed. */
  EXHAUSTED,
  /** The receiver refused it in a way retrying cannot change (4xx, refused URL). */
  PERMANENT,
  /** Its retry horizon passed while it was deferred (circuit open) or told to wait. */
  EXPIRED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
