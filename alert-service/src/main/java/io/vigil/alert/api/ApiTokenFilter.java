package io.vigil.alert.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;
import java.util.Set;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards the management API and the actuator with one static bearer token, compared in constant
 * time so that response timing does not leak it. The health probes ({@code /actuator/health},
 * {@code /actuator/health/liveness}, {@code /actuator/health/readiness}) answer anyone with their
 * status only; with the token they also show the components' details (Spring Boot's {@code
 * show-details: when-authorized} sees the caller as an authenticated principal). Everything else
 * answers 401 without the token.
 */
class ApiTokenFilter extends OncePerRequestFilter {
  static final Set<String> PUBLIC_PROBES =
      Set.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness");

  private static final Principal CALLER = () -> "api-token";

  private final byte[] expected;

  ApiTokenFilter(String token) {
    this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader("Authorization");
    if (header != null
        && MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8))) {
      chain.doFilter(authenticated(request), response);
      return;
    }
    String path = request.getRequestURI().substring(request.getContextPath().length());
    if (PUBLIC_PROBES.contains(stripTrailingSlash(path))) {
      chain.doFilter(request, response);
      return;
    }
    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    response.setHeader("WWW-Authenticate", "Bearer");
    response.setContentType("application/problem+json");
    response
        .getWriter()
        .write(
            "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
                + "\"detail\":\"missing or wrong bearer token\"}");
  }

  private static String stripTrailingSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private static HttpServletRequest authenticated(HttpServletRequest request) {
    return new HttpServletRequestWrapper(request) {
      @Override
      public Principal getUserPrincipal() {
        return CALLER;
      }

      @Override
      public String getRemoteUser() {
        return CALLER.getName();
      }

      @Override
      public boolean isUserInRole(String role) {
        return true;
      }
    };
  }
}
