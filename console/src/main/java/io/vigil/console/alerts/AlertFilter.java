package io.vigil.console.alerts;

import io.vigil.runtime.alert.Alert;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * What the alerts list shows: every non-empty criterion must hold (rule id, severity, tag, owner, a
 * text in the key values, detected after {@code since}).
 */
public record AlertFilter(
    String rule, String severity, String tag, String owner, String key, Optional<Instant> since) {

  public static AlertFilter none() {
    return new AlertFilter("", "", "", "", "", Optional.empty());
  }

  public boolean matches(Alert a) {
    return (rule.isBlank() || a.ruleId().equals(rule.strip()))
        && (severity.isBlank() || severity.equalsIgnoreCase(a.severity()))
        && (tag.isBlank() || a.tags().contains(tag.strip()))
        && (owner.isBlank() || a.owner().filter(o -> o.equals(owner.strip())).isPresent())
        && (key.isBlank()
            || a.key().toString().toLowerCase(Locale.ROOT).contains(key.toLowerCase(Locale.ROOT)))
        && since.map(s -> a.detectedAt() >= s.toEpochMilli()).orElse(true);
  }
}
