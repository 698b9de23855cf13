package io.vigil.alert.api;

import jakarta.validation.constraints.Size;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * @param token the bearer token every {@code /api/**} request must carry ({@code Authorization:
 *     Bearer <token>}); at least 16 characters so that a placeholder cannot slip into production
 */
@Validated
@ConfigurationProperties("vigil.api")
public record ApiProperties(@Size(min = 16) String token) {}
