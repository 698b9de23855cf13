package io.vigil.console.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/** Password sign-in that refuses locked user names and addresses (see {@link LoginThrottle}). */
public final class ThrottledAuthenticationProvider implements AuthenticationProvider {

  private final AuthenticationProvider delegate;
  private final LoginThrottle throttle;

  public ThrottledAuthenticationProvider(AuthenticationProvider delegate, LoginThrottle throttle) {
    this.delegate = delegate;
    this.throttle = throttle;
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    String username = authentication.getName();
    String address =
        authentication.getDetails() instanceof WebAuthenticationDetails details
            ? details.getRemoteAddress()
            : "unknown";
    if (throttle.isLocked(username, address)) {
      throw new LockedException("Too many failed sign-ins; try again later.");
    }
    try {
      Authentication result = delegate.authenticate(authentication);
      throttle.succeeded(username);
      return result;
    } catch (BadCredentialsException e) {
      throttle.failed(username, address);
      throw e;
    } catch (AuthenticationException e) {
      throw e;
    }
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
  }
}
