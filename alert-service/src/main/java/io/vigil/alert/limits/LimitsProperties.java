package io.vigil.alert.limits;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Caps on everything that grows with what callers send, so that no caller can grow the service's
 * Redis data or memory without bound. Every cap is checked atomically with the write.
 *
 * @param maxSubscriptions subscriptions in all; creating one more answers 409
 * @param maxSilences active silences; creating one more answers 409 (expired ones do not count)
 * @param maxGroupAlerts alerts one open group or digest collects; later alerts of that window are
 *     dropped, counted in the notification's {@code suppressed} and in {@code
 *     vigil_notifications_total{outcome="dropped"}}
 */
@Validated
@ConfigurationProperties("vigil.limits")
public record LimitsProperties(
    @Min(1) @DefaultValue("1000") int maxSubscriptions,
    @Min(1) @DefaultValue("1000") int maxSilences,
    @Min(1) @DefaultValue("1000") int maxGroupAlerts) {}
