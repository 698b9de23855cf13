package io.vigil.alert.routing;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The cached routing configuration (subscriptions and silences).
 *
 * @param cacheMaxAge the cache is reloaded when {@code vigil:config:version} changes (checked once
 *     per intake batch and per delivery poll) and, as a safety net for hand edits of the hashes
 *     that forgot to change the version, at least this often
 */
@Validated
@ConfigurationProperties("vigil.routing")
public record RoutingProperties(@DefaultValue("10s") Duration cacheMaxAge) {}
