package io.vigil.alert.silence;

import io.vigil.alert.model.Alert;
import io.vigil.alert.model.AlertMatcher;
import java.time.Instant;

/**
 * Mutes notifications (not storage: silenced alerts still reach Redis and the console) for the
 * alerts {@code match} selects, from {@code startsAt} until {@code endsAt}.
 */
public record Silence(
    String id,
    AlertMatcher match,
    Instant startsAt,
    Instant endsAt,
    String comment,
    Instant createdAt) {

  public boolean mutes(Alert alert, Instant now) {
    return !now.isBefore(startsAt) && now.isBefore(endsAt) && match.matches(alert);
  }

  public boolean expired(Instant now) {
    return !now.isBefore(endsAt);
  }
}
