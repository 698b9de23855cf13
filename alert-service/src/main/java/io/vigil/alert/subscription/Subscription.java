package io.vigil.alert.subscription;

import io.vigil.alert.model.Alert;
import io.vigil.alert.model.AlertMatcher;
import io.vigil.alert.model.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A channel that wants some alerts. Stored in Redis as JSON (hash {@code vigil:subscriptions});
 * {@code secret} is stored but never returned by the API (see {@link SubscriptionView}).
 *
 * @param url webhook target; empty for email
 * @param secret HMAC key for webhooks; empty for email
 * @param to email recipients; empty for webhooks
 * @param throttle at most one notification per (rule, key) per this window; zero disables it
 */
public record Subscription(
    String id,
    String name,
    ChannelType type,
    boolean enabled,
    AlertMatcher match,
    Severity minSeverity,
    String url,
    String secret,
    List<String> to,
    Grouping grouping,
    Duration throttle,
    Instant createdAt,
    Instant updatedAt) {

  public Subscription {
    to = List.copyOf(to);
  }

  public boolean wants(Alert alert) {
    return enabled && alert.severity().atLeast(minSeverity) && match.matches(alert);
  }
}
