package io.vigil.alert.api;

import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param token the bearer token every {@code /api/**} request and every actuator endpoint but the
 *     health probes must carry ({@code Authorization: Bearer <token>}). There is no default: the
 *     service refuses to start without one, with one shorter than 16 characters, or with a
 *     placeholder such as {@code change-me}, so that a sample value cannot slip into production.
 */
@ConfigurationProperties("vigil.api")
public record ApiProperties(String token) {
  static final int MIN_LENGTH = 16;

  /** Parts of the values people paste from examples instead of a secret. */
  private static final List<String> PLACEHOLDERS =
      List.of(
          "change-me",
          "changeme",
          "change_me",
          "replace-me",
          "replaceme",
          "placeholder",
          "your-token",
          "yourtoken",
          "dev-token",
          "example",
          "secret",
          "password",
          "xxxxxxxx");

  private static final String HOW =
      " Set vigil.api.token (environment variable VIGIL_API_TOKEN) to a random value of at least "
          + MIN_LENGTH
          + " characters, e.g. the output of `openssl rand -hex 32`, and give the same value to"
          + " whatever calls the API (the console, scripts).";

  public ApiProperties {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("vigil.api.token is not set." + HOW);
    }
    if (token.length() < MIN_LENGTH) {
      throw new IllegalArgumentException(
          "vigil.api.token is shorter than " + MIN_LENGTH + " characters." + HOW);
    }
    String lower = token.toLowerCase(Locale.ROOT);
    for (String placeholder : PLACEHOLDERS) {
      if (lower.contains(placeholder)) {
        throw new IllegalArgumentException(
            "vigil.api.token looks like a placeholder (it contains '" + placeholder + "')." + HOW);
      }
    }
    if (token.chars().distinct().count() < 6) {
      throw new IllegalArgumentException("vigil.api.token is too repetitive to be a secret." + HOW);
    }
  }
}
