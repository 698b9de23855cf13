package io.vigil.console.alertservice;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** A silence: notifications for the alerts it matches are muted from start until end. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Silence(
    String id, Matcher match, Instant startsAt, Instant endsAt, String comment, Instant createdAt) {

  public Silence {
    comment = comment == null ? "" : comment;
  }

  public boolean activeAt(Instant now) {
    return !now.isBefore(startsAt) && now.isBefore(endsAt);
  }
}
