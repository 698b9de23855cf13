package io.vigil.alert.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Alert severity, ordered from least to most severe so that "minimum severity" filters compare. */
public enum Severity {
  LOW,
  MEDIUM,
  HIGH,
  CRITICAL;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Severity fromWire(String value) {
    return Severity.valueOf(value.trim().toUpperCase(Locale.ROOT));
  }

  public boolean atLeast(Severity minimum) {
    return compareTo(minimum) >= 0;
  }
}
