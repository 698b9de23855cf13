package io.vigil.console.security;

import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;

import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.ExceptionMappingAuthenticationFailureHandler;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/**
 * Who may reach which route. The table below is the whole policy: anything not listed is denied to
 * everyone, so a new route stays closed until it is given a role here (and in the route-table
 * test).
 */
@Configuration
public class SecurityConfiguration {

  /** Scripts and styles from this origin only; no inline script, no eval, no framing. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
          + "form-action 'self'; frame-ancestors 'none'";

  @Bean
  ThrottledAuthenticationProvider authenticationProvider(
      SecurityProperties properties, LoginThrottle throttle) {
    DaoAuthenticationProvider passwords =
        new DaoAuthenticationProvider(new ConfiguredUsers(properties));
    passwords.setPasswordEncoder(new BCryptPasswordEncoder());
    return new ThrottledAuthenticationProvider(passwords, throttle);
  }

  @Bean
  SecurityFilterChain securityFilterChain(
      HttpSecurity http, ThrottledAuthenticationProvider provider) throws Exception {
    ExceptionMappingAuthenticationFailureHandler failures =
        new ExceptionMappingAuthenticationFailureHandler();
    failures.setDefaultFailureUrl("/login?error");
    failures.setExceptionMappings(Map.of(LockedException.class.getName(), "/login?locked"));
    http.authenticationManager(new ProviderManager(provider))
        .authorizeHttpRequests(
            routes ->
                routes
                    // The second dispatch of a request already authorized (server-sent events).
                    .dispatcherTypeMatchers(jakarta.servlet.DispatcherType.ASYNC)
                    .permitAll()
                    .requestMatchers(GET, "/login", "/error", "/favicon.ico")
                    .permitAll()
                    .requestMatchers(GET, "/css/**", "/js/**", "/webjars/**", "/images/**")
                    .permitAll()
                    .requestMatchers("/error")
                    .permitAll()
                    .requestMatchers(GET, "/audit", "/audit/**")
                    .hasRole(Role.ADMIN.name())
                    .requestMatchers(
                        POST,
                        "/rules/*/approve",
                        "/rules/*/deploy",
                        "/rules/*/rollback",
                        "/rules/*/disable",
                        "/rules/*/delete")
                    .hasRole(Role.ADMIN.name())
                    .requestMatchers(
                        GET,
                        "/subscriptions/new",
                        "/subscriptions/*/edit",
                        "/subscriptions/*/delete",
                        "/silences/*/expire",
                        "/rules/*/disable",
                        "/rules/*/delete")
                    .hasRole(Role.ADMIN.name())
                    .requestMatchers(
                        POST,
                        "/subscriptions",
                        "/subscriptions/**",
                        "/silences",
                        "/silences/**",
                        "/deliveries/**")
                    .hasRole(Role.ADMIN.name())
                    .requestMatchers(
                        GET, "/subscriptions", "/subscriptions/**", "/silences", "/deliveries/**")
                    .hasRole(Role.VIEWER.name())
                    .requestMatchers(GET, "/rules/new", "/rules/*/edit", "/streams/new")
                    .hasRole(Role.ANALYST.name())
                    .requestMatchers(GET, "/streams/*/edit")
                    .hasRole(Role.ANALYST.name())
                    .requestMatchers(POST, "/rules", "/rules/**", "/streams", "/streams/**")
                    .hasRole(Role.ANALYST.name())
                    .requestMatchers(GET, "/", "/rules", "/rules/**", "/streams", "/streams/**")
                    .hasRole(Role.VIEWER.name())
                    .requestMatchers(GET, "/alerts", "/alerts/**")
                    .hasRole(Role.VIEWER.name())
                    .requestMatchers(GET, "/archive")
                    .hasRole(Role.VIEWER.name())
                    .anyRequest()
                    .denyAll())
        .formLogin(
            form ->
                form.loginPage("/login")
                    .defaultSuccessUrl("/rules", false)
                    .failureHandler(failures)
                    .permitAll())
        .logout(logout -> logout.logoutSuccessUrl("/login?signedOut").permitAll())
        .headers(
            headers ->
                headers
                    .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                    .frameOptions(frame -> frame.deny())
                    .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN)));
    return http.build();
  }
}
