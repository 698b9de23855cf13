package io.vigil.console.alerts;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The alert service's REST API ({@code vigil.console.alert-service.*}), for subscriptions, silences
 * and parked deliveries.
 *
 * @param url its base address
 * @param token its API token ({@code vigil.api.token} of the alert service); empty: none sent
 * @param timeout how long a page waits for one answer of the alert service (a test alert waits for
 *     the receiver, so this should exceed the service's {@code vigil.webhook.deadline})
 */
@Validated
@ConfigurationProperties("vigil.console.alert-service")
public record AlertServiceProperties(
    @NotNull @DefaultValue("http://localhost:8081") URI url,
    @NotNull @DefaultValue("") String token,
    @NotNull @DefaultValue("20s") Duration timeout) {}
