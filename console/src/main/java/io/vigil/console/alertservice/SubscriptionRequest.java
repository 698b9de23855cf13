package io.vigil.console.alertservice;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.List;

/**
 * A subscription as the console sends it to create or replace one.
 *
 * @param secret the webhook's signing secret; empty: generated on creation, kept on replace
 */
public record SubscriptionRequest(
    String name,
    String type,
    boolean enabled,
    Matcher match,
    String minSeverity,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) String url,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) String secret,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> to,
    Grouping grouping,
    Duration throttle) {}
