package io.vigil.console.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may sign in ({@code vigil.console.security.*}).
 *
 * @param users the accounts, each with a bcrypt hash (never a clear password) and one role
 * @param loginThrottle how sign-in guessing is slowed down
 */
@Validated
@ConfigurationProperties("vigil.console.security")
public record SecurityProperties(
    @NotEmpty List<@Valid @NotNull User> users, @Valid @DefaultValue LoginThrottle loginThrottle) {

  /**
   * One account.
   *
   * @param passwordHash bcrypt ({@code $2a$}, {@code $2b$} or {@code $2y$}), e.g. from {@code
   *     htpasswd -bnBC 10 "" secret | tr -d ':\n'}
   */
  public record User(
      @NotNull @Pattern(regexp = "[A-Za-z0-9._@-]{1,64}") String username,
      @NotNull @Pattern(regexp = "\\$2[aby]\\$\\d{2}\\$[./A-Za-z0-9]{53}") String passwordHash,
      @NotNull Role role) {}

  /**
   * After {@code maxFailures} failed sign-ins within {@code lockFor}, the user name and the client
   * address are each refused for {@code lockFor}.
   */
  public record LoginThrottle(
      @Min(1) @Max(100) @DefaultValue("5") int maxFailures,
      @NotNull @DefaultValue("15m") Duration lockFor) {}
}
