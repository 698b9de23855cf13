package io.vigil.alert.delivery;

import java.time.Instant;

/**
 * One try of a delivery, kept in the delivery's history (and shown for parked deliveries).
 *
 * @param status the HTTP status, or 0 when there was none (network error, email, not sent)
 * @param error empty when the attempt succeeded
 */
public record Attempt(int number, Instant at, int status, String error, long durationMillis) {}
