package io.vigil.console.store;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The console's own keys in Redis ({@code vigil.console.store.*}); the server itself is Spring's
 * {@code spring.data.redis.*}.
 *
 * @param keyPrefix every key the console writes starts with it (the alert service uses others)
 * @param auditMaxEntries the audit stream is trimmed to about this many entries
 */
@Validated
@ConfigurationProperties("vigil.console.store")
public record StoreProperties(
    @Pattern(regexp = "[A-Za-z0-9._:-]*:") @DefaultValue("vigil:console:") String keyPrefix,
    @Min(100) @Max(100_000_000) @DefaultValue("1000000") long auditMaxEntries) {}
