package io.vigil.console.security;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * The accounts of {@code vigil.console.security.users}, with every authority their role implies.
 */
public final class ConfiguredUsers implements UserDetailsService {

  private final Map<String, SecurityProperties.User> users;

  public ConfiguredUsers(SecurityProperties properties) {
    this.users =
        properties.users().stream()
            .collect(
                Collectors.toUnmodifiableMap(
                    SecurityProperties.User::username, Function.identity()));
  }

  @Override
  public UserDetails loadUserByUsername(String username) {
    SecurityProperties.User user = users.get(username);
    if (user == null) {
      throw new UsernameNotFoundException("no such user");
    }
    return User.withUsername(user.username())
        .password(user.passwordHash())
        .authorities(user.role().impliedAuthorities().toArray(String[]::new))
        .build();
  }
}
