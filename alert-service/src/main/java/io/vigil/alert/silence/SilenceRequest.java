package io.vigil.alert.silence;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.vigil.alert.model.AlertMatcher;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/** A silence as a client sends it; {@code startsAt} defaults to now. */
public record SilenceRequest(
    @NotNull AlertMatcher match,
    Instant startsAt,
    @NotNull Instant endsAt,
    @Size(max = 500) String comment) {

  public SilenceRequest {
    comment = comment == null ? "" : comment;
  }

  @JsonIgnore
  @AssertTrue(message = "a silence needs at least one matcher (ruleIds, tags, owners or key)")
  public boolean isSelective() {
    return match == null || !match.isEmpty();
  }
}
