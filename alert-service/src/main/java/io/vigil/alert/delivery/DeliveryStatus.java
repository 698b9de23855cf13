package io.vigil.alert.delivery;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

public enum DeliveryStatus {
  PENDING,
  RETRY,
  DELIVERED,
  PARKED;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static DeliveryStatus fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
