package io.vigil.alert.subscription;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

public enum ChannelType {
  WEBHOOK,
  EMAIL;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static ChannelType fromWire(String value) {
    return valueOf(value.trim().toUpperCase(Locale.ROOT));
  }
}
