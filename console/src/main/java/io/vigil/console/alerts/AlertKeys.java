package io.vigil.console.alerts;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The Redis keys the alert service writes for the console (the contract in docs/alerts.md, "Redis
 * keys (read by the console)"). The console only reads them.
 */
final class AlertKeys {

  static final String ALERTS_STREAM = "vigil:alerts";
  static final String LIVE_CHANNEL = "vigil:alerts:live";
  static final String RULES = "vigil:rules";
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

  private AlertKeys() {}

  static String alert(String alertId) {
    return "vigil:alert:" + alertId;
  }

  static String ruleStream(String ruleId) {
    return "vigil:rule:" + ruleId + ":alerts";
  }

  static String ruleCounts(String ruleId, Instant at) {
    return "vigil:rule:" + ruleId + ":counts:" + DAY.format(at);
  }

  static String ruleCounts(String ruleId, java.time.LocalDate day) {
    return "vigil:rule:" + ruleId + ":counts:" + day;
  }

  static String minuteField(Instant at) {
    return MINUTE.format(at);
  }
}
