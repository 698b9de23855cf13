package io.vigil.console.rules.review;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How changes reach production ({@code vigil.console.review.*}).
 *
 * @param fourEyes when on, a version is deployed only after an admin other than its author and its
 *     proposer approved it; when off, an admin deploys any version that passes its checks and tests
 */
@Validated
@ConfigurationProperties("vigil.console.review")
public record ReviewProperties(@DefaultValue("true") boolean fourEyes) {}
