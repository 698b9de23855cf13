package io.vigil.dsl.check;

import java.util.Locale;
import java.util.Optional;

/** How urgent a rule's alerts are; ordered from the least to the most urgent. */
public enum Severity {
  LOW,
  MEDIUM,
  HIGH,
  CRITICAL;

  public String keyword() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Severity> ofKeyword(String keyword) {
    for (Severity s : values()) {
      if (s.keyword().equals(keyword)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
