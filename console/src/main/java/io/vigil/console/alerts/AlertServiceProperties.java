package io.vigil.console.alerts;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The alert service's REST API ({@code vigil.console.alert-service.*}), for subscriptions, silences
 * and parked deliveries.
 *
 * @param url its base address
 * @param token its API token ({@code vigil.api.token} of the alert service); empty: none sent
 */
@Validated
@ConfigurationProperties("vigil.console.alert-service")
public record AlertServiceProperties(
    @NotNull @DefaultValue("http://localhost:8081") URI url,
    @NotNull @DefaultValue("") String token) {}
