package io.vigil.alert.redis;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How alerts are kept in Redis for the console.
 *
 * @param streamMaxLen approximate cap of {@code vigil:alerts} ({@code XADD MAXLEN ~})
 * @param ruleStreamMaxLen approximate cap of each {@code vigil:rule:{ruleId}:alerts}
 * @param alertTtl how long {@code vigil:alert:{alertId}} (the alert by id, also the dedup marker)
 *     is kept; a redelivered alert older than this would be stored again
 * @param countersTtl how long the per-minute counters of a day are kept
 */
@Validated
@ConfigurationProperties("vigil.store")
public record AlertStoreProperties(
    @Min(1) @DefaultValue("100000") long streamMaxLen,
    @Min(1) @DefaultValue("10000") long ruleStreamMaxLen,
    @DefaultValue("7d") Duration alertTtl,
    @DefaultValue("8d") Duration countersTtl) {}
