package io.vigil.alert.api;

/**
 * What a test notification to a subscription's receiver did.
 *
 * @param result {@code delivered}, {@code failed} (the receiver refused it or could not be reached)
 *     or {@code not-sent} (the endpoint's circuit is open or it is busy: nothing was called)
 * @param status the HTTP status; 0 when there was none (network error, email, not sent)
 * @param error empty when delivered
 * @param latencyMillis how long the call took, end to end
 */
public record TestSend(String result, int status, String error, long latencyMillis) {}
