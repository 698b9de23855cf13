package io.vigil.alert.subscription;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.Optional;

/**
 * The answer to a creation: the view, plus the secret only when the service generated it (the one
 * and only time it is shown). A secret sent by the client is never echoed.
 */
public record CreatedSubscription(
    @JsonUnwrapped SubscriptionView subscription,
    @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<String> generatedSecret) {}
