package io.vigil.alert.redis;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The Redis key names the console reads. They are documented in docs/alerts.md: change both
 * together.
 */
public final class RedisKeys {
  public static final String ALERTS_STREAM = "vigil:alerts";
  public static final String LIVE_CHANNEL = "vigil:alerts:live";
  public static final String RULES = "vigil:rules";

  /**
   * Set to a new random token by every change to {@code vigil:subscriptions} or {@code
   * vigil:silences}; the cached routing configuration is reloaded when it changes (or is gone).
   * Anyone editing those hashes by hand should set it to any new value too (otherwise the change is
   * seen within {@code vigil.routing.cache-max-age}).
   */
  public static final String CONFIG_VERSION = "vigil:config:version";

  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

  private RedisKeys() {}

  public static String alert(String alertId) {
    return "vigil:alert:" + alertId;
  }

  public static String ruleStream(String ruleId) {
    return "vigil:rule:" + ruleId + ":alerts";
  }

  /** A hash per rule and UTC day whose fields are "HH:mm" minutes and values alert counts. */
  public static String ruleCounts(String ruleId, Instant at) {
    return "vigil:rule:" + ruleId + ":counts:" + DAY.format(at);
  }

  public static String minuteField(Instant at) {
    return MINUTE.format(at);
  }
}
