package io.vigil.alert.delivery;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

public enum DeliveryStatus {
  PENDING,
  RETRY,
  DELIVERED,
  PARKED,
  /** A test send the receiver did not take, or that was not sent: tests are never retried. */
  FAILED;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static DeliveryStatus fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
