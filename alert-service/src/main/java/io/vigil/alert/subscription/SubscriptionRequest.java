package io.vigil.alert.subscription;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.vigil.alert.model.AlertMatcher;
import io.vigil.alert.model.Severity;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.List;

/**
 * A subscription as a client sends it (create or replace). Absent optional fields get their
 * defaults here, at the JSON edge, so that nothing past this record sees a null. On replace, an
 * absent {@code secret} keeps the stored one (secrets are write-only).
 */
public record SubscriptionRequest(
    @NotBlank @Size(max = 200) String name,
    @NotNull ChannelType type,
    Boolean enabled,
    AlertMatcher match,
    Severity minSeverity,
    @Size(max = 2048) String url,
    @Size(min = 16, max = 512) String secret,
    @Size(max = 50) List<@Email @NotBlank String> to,
    Grouping grouping,
    Duration throttle) {

  public SubscriptionRequest {
    enabled = enabled == null ? Boolean.TRUE : enabled;
    match = match == null ? AlertMatcher.ANY : match;
    minSeverity = minSeverity == null ? Severity.LOW : minSeverity;
    url = url == null ? "" : url.trim();
    to = to == null ? List.of() : List.copyOf(to);
    grouping = grouping == null ? Grouping.NONE : grouping;
    throttle = throttle == null ? Duration.ZERO : throttle;
  }

  @JsonIgnore
  @AssertTrue(message = "a webhook needs a url; an email subscription needs at least one 'to'")
  public boolean isTargetComplete() {
    return type == null
        || (type == ChannelType.WEBHOOK && !url.isEmpty())
        || (type == ChannelType.EMAIL && !to.isEmpty());
  }

  @JsonIgnore
  @AssertTrue(message = "throttle must not be negative")
  public boolean isThrottleValid() {
    return !throttle.isNegative();
  }
}
