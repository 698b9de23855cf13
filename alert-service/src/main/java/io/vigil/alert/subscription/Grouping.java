package io.vigil.alert.subscription;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.Locale;

/**
 * How alerts of a subscription are batched into one notification. {@code RULE}: the alerts of one
 * rule within {@code window} (Alertmanager's grouping). {@code ALL}: every alert of the
 * subscription within {@code window} (a digest, meant for email so that a burst does not flood an
 * inbox). The window starts with the first alert of a group.
 */
public record Grouping(By by, Duration window) {
  public static final Grouping NONE = new Grouping(By.NONE, Duration.ZERO);

  public Grouping {
    by = by == null ? By.NONE : by;
    window = window == null ? Duration.ZERO : window;
    if (by != By.NONE && (window.isNegative() || window.isZero())) {
      throw new IllegalArgumentException("grouping by " + by.wireName() + " needs a window > 0");
    }
  }

  public boolean enabled() {
    return by != By.NONE;
  }

  public enum By {
    NONE,
    RULE,
    ALL;

    @JsonValue
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static By fromWire(String value) {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
  }
}
