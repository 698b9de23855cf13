package io.vigil.alert.subscription;

import io.vigil.alert.model.AlertMatcher;
import io.vigil.alert.model.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** What the API returns for a subscription: everything but the secret. */
public record SubscriptionView(
    String id,
    String name,
    ChannelType type,
    boolean enabled,
    AlertMatcher match,
    Severity minSeverity,
    String url,
    boolean hasSecret,
    List<String> to,
    Grouping grouping,
    Duration throttle,
    Instant createdAt,
    Instant updatedAt) {

  static SubscriptionView of(Subscription s) {
    return new SubscriptionView(
        s.id(),
        s.name(),
        s.type(),
        s.enabled(),
        s.match(),
        s.minSeverity(),
        s.url(),
        !s.secret().isEmpty(),
        s.to(),
        s.grouping(),
        s.throttle(),
        s.createdAt(),
        s.updatedAt());
  }
}
