package io.vigil.alert.routing;

import io.vigil.alert.subscription.Subscription;

/**
 * One (alert, subscription) pair the router chose.
 *
 * @param alertIndex 1-based position of the alert in its batch
 */
public record Notification(int alertIndex, Subscription subscription) {}
